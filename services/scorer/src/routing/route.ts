import type { RoutingState } from "@seqlane/contracts";
import { chooseVersion, type SplitTable } from "./split.js";

/** Where a model's routing comes from, for /v1/models and logs. */
export type RoutingSource = "routing.json" | "SEQLANE_TRAFFIC_SPLIT" | "newest";

/**
 * The split a routing state means: the canary on the lowest `share` of user slots (so the users of
 * a smaller share stay canaries when it grows), the serving version on the rest.
 */
export function routingEntries(state: RoutingState): { version: string; weight: number }[] {
  if (state.canary == null) return [{ version: state.serving, weight: 1 }];
  return [
    { version: state.canary.version, weight: state.canary.share },
    { version: state.serving, weight: 1 - state.canary.share },
  ];
}

/**
 * The version a user's request goes to, and by what. Precedence: the model's routing.json (when
 * present and valid it replaces the model's SEQLANE_TRAFFIC_SPLIT entry), then the traffic split,
 * then the newest loaded version (undefined here). Versions that are not loaded drop out, and the
 * rest share the traffic; when none of routing.json's is loaded, the traffic split applies.
 */
export function routeVersion(
  state: RoutingState | undefined,
  split: SplitTable,
  model: string,
  loaded: ReadonlySet<string>,
  slot: number,
): { version: string | undefined; source: RoutingSource } {
  if (state !== undefined) {
    const v = chooseVersion(routingEntries(state), loaded, slot);
    if (v !== undefined) return { version: v, source: "routing.json" };
  }
  const entries = split.get(model);
  if (entries !== undefined) {
    const v = chooseVersion(entries, loaded, slot);
    if (v !== undefined) return { version: v, source: "SEQLANE_TRAFFIC_SPLIT" };
  }
  return { version: undefined, source: "newest" };
}

/** Shadow versions to score for a request served by `served`: routing.json's, loaded, not the served one. */
export function shadowVersions(state: RoutingState | undefined, served: string, loaded: ReadonlySet<string>): string[] {
  return (state?.shadow ?? []).filter((v) => v !== served && loaded.has(v));
}
