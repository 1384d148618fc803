import { userInfo } from "node:os";
import type { RoutingState } from "@seqlane/contracts";
import { promote, readRouting, rollback, setShadow, startCanary, writeRouting } from "@seqlane/models";
import { compareArms, decisionRow, recordDecision, type DecisionAction, type DecisionRow } from "@seqlane/warehouse";
import type { DecideBase } from "./decide.js";
import { registryVersions } from "./registry.js";

/** A change by hand was refused: names why (exit 1, nothing changed). */
export class RolloutError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = "RolloutError";
  }
}

/** `cli:<user>`: who changed routing by hand, as model_decisions and routing.json record it. */
export function cliUser(): string {
  let name = process.env.USER ?? "";
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (containers): the environment's USER, or unknown
  }
  return `cli:${name || "unknown"}`;
}

export type ManualChange =
  | { readonly kind: "canary"; readonly version: string; readonly share: number; readonly serving?: string }
  | { readonly kind: "shadow"; readonly version: string; readonly remove?: boolean; readonly serving?: string }
  | { readonly kind: "promote"; readonly version: string }
  | { readonly kind: "rollback" };

export interface ManualResult {
  readonly routing: RoutingState;
  readonly row: DecisionRow;
}

/**
 * A routing change by hand (`seqlane models canary|shadow|promote|rollback`): checked against the
 * registry (the versions must be published), recorded in model_decisions with the live arm
 * figures when a canary ran, then written to routing.json atomically.
 */
export async function changeRouting(
  base: DecideBase,
  model: string,
  change: ManualChange,
  now = Date.now(),
): Promise<ManualResult> {
  const read = await readRouting(base.registry, model);
  const state = read.state;
  const versions = await registryVersions(base.registry, model);
  if (versions.length === 0) throw new RolloutError(`${model}: no versions in ${base.registry}`);
  const need = (v: string): void => {
    if (!versions.includes(v))
      throw new RolloutError(`${model} has no version ${v} in ${base.registry} (has: ${versions.join(", ")})`);
  };
  // Without routing.json the newest version serves today; a new canary or shadow is likely the
  // newest itself, so the default serving version is the newest other one.
  const defaultServing = (v: string): string | undefined =>
    state?.serving ?? [...versions].reverse().find((x) => x !== v);
  const stamp = { now, by: base.by };
  let next: RoutingState;
  let action: DecisionAction;
  let reason: string;
  if (change.kind === "canary") {
    need(change.version);
    const serving = change.serving ?? defaultServing(change.version);
    if (serving === undefined)
      throw new RolloutError(`${model}: no other version to serve beside canary ${change.version}`);
    need(serving);
    if (state !== undefined && change.serving !== undefined && change.serving !== state.serving)
      throw new RolloutError(
        `${model} serves ${state.serving}: promote ${change.serving} first, or leave --serving out`,
      );
    next = startCanary(state, { version: change.version, share: change.share, serving }, stamp);
    action = "canary";
    reason = `by hand: canary ${change.version} on ${change.share} of users beside ${next.serving}`;
  } else if (change.kind === "shadow") {
    need(change.version);
    const serving = change.serving ?? defaultServing(change.version);
    if (serving === undefined)
      throw new RolloutError(`${model}: no other version to serve beside shadow ${change.version}`);
    need(serving);
    next = setShadow(state, { version: change.version, remove: change.remove === true, serving }, stamp);
    action = "shadow";
    reason = `by hand: ${change.remove === true ? "stopped shadowing" : "shadow"} ${change.version} beside ${next.serving}`;
  } else if (change.kind === "promote") {
    need(change.version);
    next = promote(state, change.version, stamp);
    action = "promote";
    reason = `by hand: ${change.version} serves everyone${state?.canary != null ? ` (canary ${state.canary.version} ended)` : ""}`;
  } else {
    if (state?.canary == null) throw new RolloutError(`${model} has no canary to roll back`);
    next = rollback(state, stamp);
    action = "rollback";
    reason = `by hand: canary ${state.canary.version} rolled back, ${state.serving} serves everyone`;
  }
  const canary = state?.canary;
  const figures =
    canary != null && state !== undefined && (change.kind === "promote" || change.kind === "rollback")
      ? await compareArms(base.warehouse, {
          model,
          serving: state.serving,
          canary: canary.version,
          fromMs: canary.started_at,
          toMs: now,
          maxRows: base.maxRows,
        })
      : undefined;
  const subject = next.canary ?? canary;
  const row = decisionRow({
    model,
    action,
    reason,
    serving: state?.serving ?? next.serving,
    canary: subject?.version ?? (change.kind === "shadow" ? change.version : ""),
    share: subject?.share ?? 0,
    fromMs: figures === undefined ? 0 : canary!.started_at,
    toMs: figures === undefined ? 0 : now,
    ...(figures === undefined ? {} : { figures }),
    rule: base.rule,
    by: base.by,
    applied: true,
    now,
  });
  await recordDecision(base.warehouse, row);
  await writeRouting(base.registry, model, next, read);
  return { routing: next, row };
}
