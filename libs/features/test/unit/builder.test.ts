import { describe, expect, it } from "vitest";
import {
  bucketOfId64,
  buildSamples,
  encodeCandidates,
  TensorBuilder,
  timeGapBucket,
  type Manifest,
  type TensorBatch,
} from "../../src/index.js";
import { id64BigInt } from "@seqlane/events";
import { EMPTY_SEQUENCES } from "@seqlane/sequences";
import { seqs, type Rec } from "./blocks.js";

const NOW = Date.UTC(2026, 0, 1, 13, 0);
const MIN = 60_000;
const b = (raw: string, B: number) => bucketOfId64(id64BigInt(raw), B);

function manifest(over: Partial<Manifest["slots"][number]> = {}): Manifest {
  return {
    manifest_version: 1,
    name: "t",
    version: "1",
    family: "target_attention",
    architecture: "din",
    tasks: ["ctr"],
    slots: [
      {
        name: "clicks",
        source: "long_click",
        view: "plain",
        max_len: 4,
        padding: "left",
        fields: [
          { field: "item", tensor: "s_item", buckets: 1000 },
          { field: "category", tensor: "s_cat", buckets: 100 },
          { field: "type", tensor: "s_type" },
          { field: "time_gap", tensor: "s_gap", buckets: 16 },
          { field: "position", tensor: "s_pos" },
        ],
        mask: "s_mask",
        ...over,
      },
    ],
    candidate: [
      { field: "item", tensor: "t_item", buckets: 1000 },
      { field: "category", tensor: "t_cat", buckets: 100 },
      { field: "brand", tensor: "t_brand", buckets: 50 },
    ],
    context: [{ field: "hour_of_day", tensor: "ctx_hour", buckets: 25 }],
    cand_user_index: "cui",
    outputs: { ctr: "ctr" },
  };
}

function get(batch: TensorBatch, name: string): { dims: readonly number[]; v: number[] } {
  const t = batch.tensors.find((x) => x.name === name);
  if (t === undefined) throw new Error(`no tensor ${name}`);
  return { dims: t.dims, v: Array.from(t.data as ArrayLike<number | bigint>, Number) };
}

const clicks: Rec[] = [
  { item: "a", cat: "x", ts: NOW - 300 * MIN },
  { item: "b", cat: "y", ts: NOW - 100 * MIN },
  { item: "c", cat: "x", ts: NOW - 90 * MIN },
  { item: "d", cat: "y", ts: NOW - 10 * MIN },
  { item: "e", cat: "x", ts: NOW - 1 * MIN },
];

describe("TensorBuilder plain view", () => {
  it("left padding: newest last, positions 1 = newest, buckets of ids, mask", () => {
    const builder = new TensorBuilder(manifest());
    const batch = builder.build([
      {
        sequences: seqs({ long_click: clicks }),
        candidates: encodeCandidates([{ itemId: "z", categoryId: "x" }]),
        now: NOW,
      },
      {
        sequences: seqs({ long_click: clicks.slice(0, 2) }),
        candidates: encodeCandidates([{ itemId: 5 }, { itemId: "w", brandId: "br" }]),
        now: NOW,
      },
    ]);
    expect(batch.users).toBe(2);
    expect(batch.candidates).toBe(3);
    expect(get(batch, "s_item")).toEqual({
      dims: [2, 4],
      v: [b("b", 1000), b("c", 1000), b("d", 1000), b("e", 1000), 0, 0, b("a", 1000), b("b", 1000)],
    });
    expect(get(batch, "s_pos").v).toEqual([4, 3, 2, 1, 0, 0, 2, 1]);
    expect(get(batch, "s_mask").v).toEqual([1, 1, 1, 1, 0, 0, 1, 1]);
    expect(get(batch, "s_type").v).toEqual([1, 1, 1, 1, 0, 0, 1, 1]);
    expect(get(batch, "s_gap").v.slice(0, 4)).toEqual([
      timeGapBucket(NOW, NOW - 100 * MIN, 16),
      timeGapBucket(NOW, NOW - 90 * MIN, 16),
      timeGapBucket(NOW, NOW - 10 * MIN, 16),
      timeGapBucket(NOW, NOW - MIN, 16),
    ]);
    expect(get(batch, "cui")).toEqual({ dims: [3], v: [0, 1, 1] });
    expect(get(batch, "t_item").v).toEqual([b("z", 1000), b("5", 1000), b("w", 1000)]);
    expect(get(batch, "t_cat").v).toEqual([b("x", 100), 0, 0]);
    expect(get(batch, "t_brand").v).toEqual([0, 0, b("br", 50)]);
    expect(get(batch, "ctx_hour")).toEqual({ dims: [2], v: [14, 14] });
  });

  it("right padding: oldest first, left-aligned", () => {
    const batch = new TensorBuilder(manifest({ padding: "right" })).build([
      { sequences: seqs({ long_click: clicks.slice(0, 2) }), candidates: encodeCandidates([{ itemId: 1 }]), now: NOW },
    ]);
    expect(get(batch, "s_item").v).toEqual([b("a", 1000), b("b", 1000), 0, 0]);
    expect(get(batch, "s_pos").v).toEqual([2, 1, 0, 0]);
  });

  it("length buckets: smallest bucket >= longest real length; fixed lengths ignore them", () => {
    const m = manifest({ max_len: 4, length_buckets: [1, 2, 4] });
    const one = (n: number) => [
      { sequences: seqs({ long_click: clicks.slice(0, n) }), candidates: encodeCandidates([{ itemId: 1 }]), now: NOW },
    ];
    const builder = new TensorBuilder(m);
    expect(builder.build(one(0)).lengths).toEqual({ clicks: 1 });
    expect(builder.build(one(2)).lengths).toEqual({ clicks: 2 });
    expect(builder.build(one(3)).lengths).toEqual({ clicks: 4 });
    expect(new TensorBuilder(m, { fixedLengths: true }).build(one(1)).lengths).toEqual({ clicks: 4 });
    expect(get(builder.build(one(0), { lengths: { clicks: 2 } }), "s_mask")).toEqual({ dims: [1, 2], v: [0, 0] });
  });

  it("type filter keeps only the listed behaviours", () => {
    const mixed: Rec[] = [
      { item: "a", cat: "x", type: "click", ts: NOW - 5 * MIN },
      { item: "b", cat: "x", type: "cart", ts: NOW - 4 * MIN },
      { item: "c", cat: "x", type: "purchase", ts: NOW - 3 * MIN },
    ];
    const batch = new TensorBuilder(manifest({ source: "short_mixed", types: ["cart", "purchase"] })).build([
      { sequences: seqs({ short_mixed: mixed }), candidates: encodeCandidates([{ itemId: 1 }]), now: NOW },
    ]);
    expect(get(batch, "s_item").v).toEqual([0, 0, b("b", 1000), b("c", 1000)]);
    expect(get(batch, "s_type").v).toEqual([0, 0, 3, 4]);
  });

  it("unknown user (empty sequences) gives all-padding blocks", () => {
    const batch = new TensorBuilder(manifest()).build([
      { sequences: EMPTY_SEQUENCES, candidates: encodeCandidates([{ itemId: 1 }]), now: NOW },
    ]);
    expect(get(batch, "s_mask").v).toEqual([0, 0, 0, 0]);
  });
});

describe("TensorBuilder sessions and category_match views", () => {
  it("sessions split at 30 min gaps; newest S sessions, newest last with left padding", () => {
    const m = manifest({ view: "sessions", max_len: 2, max_sessions: 2 });
    const batch = new TensorBuilder(m).build([
      { sequences: seqs({ long_click: clicks }), candidates: encodeCandidates([{ itemId: 1 }]), now: NOW },
    ]);
    // sessions (oldest first): [a], [b, c], [d, e]; keep the newest two.
    expect(get(batch, "s_item")).toEqual({
      dims: [1, 2, 2],
      v: [b("b", 1000), b("c", 1000), b("d", 1000), b("e", 1000)],
    });
    const right = new TensorBuilder(
      manifest({ view: "sessions", max_len: 3, max_sessions: 4, padding: "right" }),
    ).build([{ sequences: seqs({ long_click: clicks }), candidates: encodeCandidates([{ itemId: 1 }]), now: NOW }]);
    expect(right.lengths).toEqual({ clicks: 3 });
    expect(get(right, "s_pos").v).toEqual([1, 0, 0, 2, 1, 0, 2, 1, 0, 0, 0, 0]);
  });

  it("category_match: per candidate, newest K records of the candidate's category", () => {
    const m = manifest({ view: "category_match", max_len: 2 });
    const batch = new TensorBuilder(m).build([
      {
        sequences: seqs({ long_click: clicks }),
        candidates: encodeCandidates([{ itemId: 1, categoryId: "x" }, { itemId: 2, categoryId: "y" }, { itemId: 3 }]),
        now: NOW,
      },
    ]);
    expect(get(batch, "s_item")).toEqual({
      dims: [3, 2],
      v: [b("c", 1000), b("e", 1000), b("b", 1000), b("d", 1000), 0, 0],
    });
  });
});

describe("buildSamples (docs/samples.md)", () => {
  it("one row per candidate, user tensors repeated, cui = 0..N-1, lengths at max_len", () => {
    const m = manifest({ length_buckets: [2, 4] });
    const s = seqs({ long_click: clicks.slice(0, 1) });
    const batch = buildSamples(m, [
      { sequences: s, candidate: { itemId: "p" }, now: NOW },
      { sequences: s, candidate: { itemId: "q" }, now: NOW },
    ]);
    expect(batch.lengths).toEqual({ clicks: 4 });
    expect(get(batch, "cui").v).toEqual([0, 1]);
    expect(get(batch, "s_item")).toEqual({ dims: [2, 4], v: [0, 0, 0, b("a", 1000), 0, 0, 0, b("a", 1000)] });
    expect(get(batch, "t_item").v).toEqual([b("p", 1000), b("q", 1000)]);
  });
});

describe("timeGapBucket", () => {
  it("1 + min(B-2, floor(log2(1 + gap_min))) with exact powers of two", () => {
    expect(timeGapBucket(NOW, NOW, 16)).toBe(1);
    expect(timeGapBucket(NOW, NOW + 5 * MIN, 16)).toBe(1);
    expect(timeGapBucket(NOW, NOW - 1 * MIN, 16)).toBe(2);
    expect(timeGapBucket(NOW, NOW - 3 * MIN, 16)).toBe(3);
    expect(timeGapBucket(NOW, NOW - 7 * MIN + 1, 16)).toBe(3);
    expect(timeGapBucket(NOW, NOW - 1e12, 16)).toBe(15);
  });
});
