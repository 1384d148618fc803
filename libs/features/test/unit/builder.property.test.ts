import { describe, expect, it } from "vitest";
import {
  buildSamples,
  encodeCandidates,
  TensorBuilder,
  type Manifest,
  type SlotSpec,
  type TensorBatch,
} from "../../src/index.js";
import { seqs, type Rec } from "./blocks.js";

/** Seeded PRNG so a failure reproduces. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 8) % n;
}

const NOW = Date.UTC(2026, 2, 1);
const TYPES = ["click", "fav", "cart", "purchase"] as const;

function randomManifest(r: (n: number) => number): Manifest {
  const view = (["plain", "sessions", "category_match"] as const)[r(3)]!;
  const max = 1 + r(12);
  const slot: SlotSpec = {
    name: "s",
    source: "short_mixed",
    view,
    max_len: max,
    ...(r(2) === 0 && max > 2 ? { length_buckets: [1 + r(max - 1), max] } : {}),
    ...(view === "sessions" ? { max_sessions: 1 + r(3) } : {}),
    ...(r(3) === 0 ? { types: ["cart", "purchase"] as const } : {}),
    padding: r(2) === 0 ? "left" : "right",
    fields: [
      { field: "item", tensor: "s_item", buckets: 97 },
      { field: "time_gap", tensor: "s_gap", buckets: 8 },
      { field: "position", tensor: "s_pos" },
    ],
    mask: "s_mask",
  };
  return {
    manifest_version: 1,
    name: "p",
    version: "1",
    family: "transformer",
    architecture: "x",
    tasks: ["ctr"],
    slots: [slot],
    candidate: [{ field: "item", tensor: "t_item", buckets: 97 }],
    cand_user_index: "cui",
    outputs: { ctr: "ctr" },
  };
}

function values(b: TensorBatch, name: string): { dims: readonly number[]; v: number[] } {
  const t = b.tensors.find((x) => x.name === name)!;
  return { dims: t.dims, v: Array.from(t.data as ArrayLike<number | bigint>, Number) };
}

/** Row `row` of a [rows, ...inner, L] tensor, each innermost block padded to `max` on the padding side. */
function paddedRow(t: { dims: readonly number[]; v: number[] }, row: number, max: number, left: boolean): number[] {
  const L = t.dims[t.dims.length - 1]!;
  const inner = t.dims.slice(1, -1).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let i = 0; i < inner; i++) {
    const block = t.v.slice((row * inner + i) * L, (row * inner + i + 1) * L);
    const pad = new Array<number>(max - L).fill(0);
    out.push(...(left ? [...pad, ...block] : [...block, ...pad]));
  }
  return out;
}

describe("tensor building (property): serving batches and training samples agree row by row", () => {
  it("for random manifests, sequences and candidates", () => {
    for (let iter = 0; iter < 300; iter++) {
      const r = rng(iter + 1);
      const m = randomManifest(r);
      const slot = m.slots[0]!;
      const users = Array.from({ length: 1 + r(3) }, () => {
        const n = r(25);
        let ts = NOW - 10 * 86_400_000;
        const recs: Rec[] = Array.from({ length: n }, () => {
          ts += r(4) === 0 ? 3_600_000 : 60_000 * (1 + r(20));
          return { item: String(r(50)), cat: String(r(4)), type: TYPES[r(4)]!, ts };
        });
        const cands = Array.from({ length: 1 + r(4) }, () => ({ itemId: r(50), categoryId: r(5) }));
        return { sequences: seqs({ short_mixed: recs }), cands, now: NOW };
      });
      const serving = new TensorBuilder(m).build(
        users.map((u) => ({ sequences: u.sequences, candidates: encodeCandidates(u.cands), now: u.now })),
      );
      const samples = buildSamples(
        m,
        users.flatMap((u) => u.cands.map((c) => ({ sequences: u.sequences, candidate: c, now: u.now }))),
      );
      const cui = values(serving, "cui").v;
      const left = slot.padding === "left";
      for (const name of ["s_item", "s_gap", "s_pos", "s_mask"]) {
        const sv = values(serving, name);
        const sm = values(samples, name);
        for (let c = 0; c < cui.length; c++) {
          const row = slot.view === "category_match" ? c : cui[c]!;
          expect(paddedRow(sv, row, slot.max_len, left), `iter ${iter} ${name} candidate ${c}`).toEqual(
            paddedRow(sm, c, slot.max_len, left),
          );
        }
      }
      // masks and positions agree: positions 1..n on masked cells, 0 elsewhere
      const mask = values(samples, "s_mask").v;
      const pos = values(samples, "s_pos").v;
      mask.forEach((x, i) => expect(x === 0).toBe(pos[i] === 0));
    }
  });
});
