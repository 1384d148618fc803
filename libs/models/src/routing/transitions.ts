import type { RoutingState } from "@seqlane/contracts";

/** Who made a change and when: stamped on the routing state written. */
export interface Stamp {
  readonly now: number;
  /** `job`, or `cli:<user>`. */
  readonly by: string;
}

const stamped = (s: Omit<RoutingState, "updated_at" | "updated_by">, t: Stamp): RoutingState => {
  const { canary, shadow, ...rest } = s;
  return {
    ...rest,
    ...(canary != null ? { canary } : {}),
    ...(shadow !== undefined && shadow.length > 0 ? { shadow } : {}),
    updated_at: t.now,
    updated_by: t.by,
  };
};

/**
 * Starts (or replaces) a canary of `version` on `share` of users beside `serving` (the state's, or
 * the one given when there is no routing file yet). The canary's window starts now. A version
 * that was in shadow leaves the shadow list.
 */
export function startCanary(
  state: RoutingState | undefined,
  o: { readonly version: string; readonly share: number; readonly serving?: string },
  t: Stamp,
): RoutingState {
  const serving = state?.serving ?? o.serving;
  if (serving === undefined) throw new RangeError("no serving version: name one for a model without routing.json");
  return stamped(
    {
      schema: 1,
      serving,
      canary: { version: o.version, share: o.share, started_at: t.now },
      shadow: (state?.shadow ?? []).filter((v) => v !== o.version),
    },
    t,
  );
}

/** `version` serves everyone; any canary ends (its window compared arms against the old serving version). */
export function promote(state: RoutingState | undefined, version: string, t: Stamp): RoutingState {
  return stamped(
    { schema: 1, serving: version, canary: null, shadow: (state?.shadow ?? []).filter((v) => v !== version) },
    t,
  );
}

/** The canary ends; the serving version serves everyone again. */
export function rollback(state: RoutingState, t: Stamp): RoutingState {
  return stamped({ ...state, canary: null }, t);
}

/** Adds `version` to the shadow list (or removes it with `remove`). */
export function setShadow(
  state: RoutingState | undefined,
  o: { readonly version: string; readonly remove?: boolean; readonly serving?: string },
  t: Stamp,
): RoutingState {
  const serving = state?.serving ?? o.serving;
  if (serving === undefined) throw new RangeError("no serving version: name one for a model without routing.json");
  const rest = (state?.shadow ?? []).filter((v) => v !== o.version);
  return stamped(
    { schema: 1, serving, canary: state?.canary ?? null, shadow: o.remove === true ? rest : [...rest, o.version] },
    t,
  );
}
