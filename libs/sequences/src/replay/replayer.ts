import type { BehaviourEvent } from "@seqlane/events";
import { apply, OUTCOME } from "../apply/apply.js";
import type { ApplyOptions, ApplyOutcome } from "../apply/apply.js";
import { prepareEvent } from "../apply/prepare.js";
import type { SequenceSpec } from "../spec/spec.js";
import { createState } from "../state/state.js";
import type { UserState } from "../state/state.js";

/** Counts of what replay did, by apply() outcome. */
export interface ReplayCounts {
  applied: number;
  duplicate: number;
  late: number;
}

export interface Replayer {
  /** Applies one event (in stream order) to its user's state. */
  push(event: BehaviourEvent): ApplyOutcome;
  readonly states: ReadonlyMap<string, UserState>;
  readonly counts: Readonly<ReplayCounts>;
}

/**
 * Offline rebuild of sequence states from an ordered event stream with the SAME apply() as the
 * streaming consumer: per user, the same events in the same order give the same state.
 */
export function createReplayer(spec: SequenceSpec, opts: ApplyOptions = {}): Replayer {
  const states = new Map<string, UserState>();
  const counts: ReplayCounts = { applied: 0, duplicate: 0, late: 0 };
  return {
    states,
    counts,
    push(event) {
      let s = states.get(event.user_id);
      if (!s) states.set(event.user_id, (s = createState()));
      const o = apply(s, prepareEvent(event), spec, opts);
      if (o === OUTCOME.applied) counts.applied++;
      else if (o === OUTCOME.duplicate) counts.duplicate++;
      else counts.late++;
      return o;
    },
  };
}
