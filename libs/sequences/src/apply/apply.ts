import { defaults, ingest } from "@seqlane/config";
import type { SequenceSpec } from "../spec/spec.js";
import type { UserState } from "../state/state.js";
import { BEHAVIOUR_CODES } from "../types.js";
import { compileSpec } from "./compile.js";
import type { SequenceEvent } from "./prepare.js";

/** What apply() did with an event. */
export const OUTCOME = { applied: 0, duplicate: 1, late: 2 } as const;
export type ApplyOutcome = (typeof OUTCOME)[keyof typeof OUTCOME];

export interface ApplyOptions {
  /**
   * Events older than the user's newest accepted event time minus this are left out (counted
   * as late). Default: SEQLANE_ALLOWED_LATENESS_MS's (libs/config).
   */
  readonly allowedLatenessMs?: number;
}

const CLICK = BEHAVIOUR_CODES.click;
const LATENESS_MS = defaults(ingest).allowedLatenessMs;

/**
 * THE sequence update, used by the streaming consumer and by replay alike. Deterministic and
 * free of I/O: the resulting state depends only on the prior state and the event (and spec and
 * options). For speed it updates `state` in place and returns what it did.
 *
 * - late: `ts` is older than newest - allowedLateness, or at/before the dedup horizon;
 * - duplicate: the event id was applied before (fingerprints of every event newer than the
 *   horizon are kept, so the check is exact);
 * - applied: inserted in event-time order (after records with the same time) into every
 *   sequence whose types and sources match, each then trimmed by length and age (age relative
 *   to the user's newest event time, not the wall clock, so replays agree). An exposure leaves
 *   `removeOnClick` sequences once a click on the same item at or after it is applied, and is
 *   not inserted if such a click is already kept.
 */
export function apply(state: UserState, ev: SequenceEvent, spec: SequenceSpec, opts: ApplyOptions = {}): ApplyOutcome {
  const c = compileSpec(spec);
  const lateness = opts.allowedLatenessMs ?? LATENESS_MS;
  const ts = ev.ts;
  if (ts <= state.floorTs || ts < state.maxTs - lateness) return OUTCOME.late;
  const dedup = state.dedup;
  if (dedup.has(ev.fpLo, ev.fpHi)) return OUTCOME.duplicate;

  dedup.add(ev.fpLo, ev.fpHi, ts);
  if (dedup.length > c.dedupCapacity) state.floorTs = Math.max(state.floorTs, dedup.dropOldest());
  let advanced = false;
  if (ts > state.maxTs) {
    state.maxTs = ts;
    advanced = true;
    const horizon = ts - lateness;
    while (dedup.length > 0 && dedup.oldestTs() < horizon) state.floorTs = Math.max(state.floorTs, dedup.dropOldest());
  }

  const targets = c.targets[ev.type * 2 + (ev.device ? 1 : 0)]!;
  for (let k = 0; k < targets.length; k++) {
    const idx = targets[k]!;
    const def = c.defs[idx]!;
    if (def.maxAgeMs > 0 && ts < state.maxTs - def.maxAgeMs) continue;
    if (def.removeOnClick && clickedAtOrAfter(state, c.clickSeqs, ev)) continue;
    const buf = state.seqs[idx]!;
    const pos = buf.upperBound(ts);
    if (pos === 0 && buf.length >= def.maxLength) continue;
    buf.insertAt(pos, ev);
    if (buf.length > def.maxLength) buf.dropFront(buf.length - def.maxLength);
  }

  if (ev.type === CLICK) {
    for (const idx of c.removeOnClick) removeItemUpTo(state, idx, ev);
  }
  if (advanced) {
    for (let idx = 0; idx < c.defs.length; idx++) {
      const age = c.defs[idx]!.maxAgeMs;
      if (age > 0) state.seqs[idx]!.dropOlderThan(state.maxTs - age);
    }
  }
  return OUTCOME.applied;
}

function clickedAtOrAfter(state: UserState, clickSeqs: readonly number[], ev: SequenceEvent): boolean {
  for (const idx of clickSeqs) {
    const b = state.seqs[idx]!;
    for (let p = b.start + b.length - 1; p >= b.start && b.ts[p]! >= ev.ts; p--) {
      if (b.type[p] === CLICK && b.item[2 * p] === ev.itemLo && b.item[2 * p + 1] === ev.itemHi) return true;
    }
  }
  return false;
}

function removeItemUpTo(state: UserState, idx: number, ev: SequenceEvent): void {
  const b = state.seqs[idx]!;
  for (let i = b.length - 1; i >= 0; i--) {
    const p = b.start + i;
    if (b.ts[p]! <= ev.ts && b.item[2 * p] === ev.itemLo && b.item[2 * p + 1] === ev.itemHi) b.removeAt(i);
  }
}
