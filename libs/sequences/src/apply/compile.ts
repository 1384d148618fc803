import type { SequenceDef, SequenceSpec } from "../spec/spec.js";
import { BEHAVIOUR_CODES, SEQUENCE_NAMES } from "../types.js";

/** A spec turned into lookup tables for the per-event path. */
export interface CompiledSpec {
  readonly defs: readonly SequenceDef[];
  /** targets[typeCode * 2 + (device ? 1 : 0)]: indices of the sequences that keep such an event. */
  readonly targets: readonly (readonly number[])[];
  /** Sequences whose records leave when a click on their item follows. */
  readonly removeOnClick: readonly number[];
  /** Sequences that keep clicks (to tell whether a late exposure was already clicked). */
  readonly clickSeqs: readonly number[];
  readonly dedupCapacity: number;
}

const cache = new WeakMap<SequenceSpec, CompiledSpec>();

export function compileSpec(spec: SequenceSpec): CompiledSpec {
  const hit = cache.get(spec);
  if (hit) return hit;
  const defs = SEQUENCE_NAMES.map((n) => spec.sequences[n]);
  const targets: number[][] = [];
  for (let code = 0; code <= 5; code++) {
    for (const device of [false, true]) {
      targets[code * 2 + (device ? 1 : 0)] = defs.flatMap((d, i) =>
        d.types.some((t) => BEHAVIOUR_CODES[t] === code) && d.sources.includes(device ? "device" : "server") ? [i] : [],
      );
    }
  }
  const compiled: CompiledSpec = {
    defs,
    targets,
    removeOnClick: defs.flatMap((d, i) => (d.removeOnClick ? [i] : [])),
    clickSeqs: defs.flatMap((d, i) => (d.types.includes("click") ? [i] : [])),
    dedupCapacity: spec.dedupCapacity,
  };
  cache.set(spec, compiled);
  return compiled;
}
