import { encodeCandidates, slotLengths, type Manifest, type UserBlockInput } from "@seqlane/features";
import { EMPTY_SEQUENCES, type SequenceBlock, type UserSequences } from "@seqlane/sequences";
import type { LoadedModel } from "./model.js";

/** At most this many length combinations are warmed (the full product when smaller). */
const MAX_COMBINATIONS = 64;

function syntheticBlock(n: number, now: number, seed: number): SequenceBlock {
  const b = {
    length: n,
    item: new Uint32Array(2 * n),
    category: new Uint32Array(2 * n),
    brand: new Uint32Array(2 * n),
    type: new Uint8Array(n),
    ts: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    b.item[2 * i] = (seed * 7919 + i * 104729) >>> 0;
    b.category[2 * i] = (i % 7) + 1;
    b.brand[2 * i] = i % 3;
    b.type[i] = 1 + (i % 5);
    b.ts[i] = now - (n - i) * 600_000;
  }
  return b;
}

/** A user whose every sequence is full (the longest, most expensive input the manifest allows). */
export function syntheticFullSequences(manifest: Manifest, now: number): UserSequences {
  const len = Math.max(1, ...manifest.slots.map((s) => s.max_len * (s.max_sessions ?? 1)));
  const full: Record<string, SequenceBlock> = {};
  for (const name of Object.keys(EMPTY_SEQUENCES)) full[name] = syntheticBlock(len, now, name.length);
  return full as UserSequences;
}

/** Two users (one with full sequences, one unknown) and a few candidates: a realistic small batch. */
function warmupUsers(manifest: Manifest, now: number): UserBlockInput[] {
  const full = syntheticFullSequences(manifest, now);
  const cands = encodeCandidates([
    { itemId: "warm-1", categoryId: 1 },
    { itemId: 2, categoryId: 3 },
    { itemId: "warm-3" },
  ]);
  return [
    { sequences: full, candidates: cands, now },
    { sequences: EMPTY_SEQUENCES, candidates: encodeCandidates([{ itemId: 5, categoryId: 2 }]), now },
  ];
}

/** Every combination of the slots' length buckets (capped: then each bucket index across slots). */
export function lengthCombinations(manifest: Manifest): Record<string, number>[] {
  let combos: Record<string, number>[] = [{}];
  for (const slot of manifest.slots) {
    const next: Record<string, number>[] = [];
    for (const c of combos) for (const l of slotLengths(slot)) next.push({ ...c, [slot.name]: l });
    combos = next;
  }
  if (combos.length <= MAX_COMBINATIONS) return combos;
  const depth = Math.max(...manifest.slots.map((s) => slotLengths(s).length));
  return Array.from({ length: depth }, (_, i) =>
    Object.fromEntries(manifest.slots.map((s) => [s.name, slotLengths(s)[Math.min(i, slotLengths(s).length - 1)]!])),
  );
}

/**
 * Runs the model once per length combination (so no request pays the first-shape cost) and
 * checks each output: right length, finite, in [0, 1]. Throws with what was wrong.
 */
export async function warmUpAndCheck(model: LoadedModel): Promise<number> {
  const users = warmupUsers(model.manifest, Date.now());
  const rows = users.reduce((n, u) => n + u.candidates.count, 0);
  const combos = lengthCombinations(model.manifest);
  for (const lengths of combos) {
    const results = await model.runBatch(users, { lengths });
    for (const task of model.manifest.tasks) {
      let n = 0;
      for (const r of results) {
        const v = r[task];
        if (v === undefined) throw new Error(`output ${task} missing at lengths ${JSON.stringify(lengths)}`);
        for (const x of v) {
          if (!Number.isFinite(x) || x < 0 || x > 1)
            throw new Error(`output ${task} has value ${x} outside [0, 1] at lengths ${JSON.stringify(lengths)}`);
        }
        n += v.length;
      }
      if (n !== rows) throw new Error(`output ${task} has ${n} values for ${rows} candidates`);
    }
  }
  return combos.length;
}
