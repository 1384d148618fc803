import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEvent, serializeEvent, type BehaviourEvent } from "@seqlane/events";
import { TensorBuilder, encodeCandidates, type Manifest } from "@seqlane/features";
import { createGenerator } from "@seqlane/generator";
import { validateManifest } from "@seqlane/models";
import { DEFAULT_SPEC, createReplayer, createState, decodeState, encodeState, sequencesOf } from "@seqlane/sequences";
import { describe, expect, it } from "vitest";
import { DEFAULT_WINDOWS, OutcomeIndex } from "../../src/samples/labels.js";
import { samplesFromFile } from "../../src/samples/samples-file.js";

// A manifest touching every view and derived field, with serving length buckets.
const manifest: Manifest = validateManifest({
  manifest_version: 1,
  name: "probe",
  version: "1",
  family: "transformer",
  architecture: "probe",
  tasks: ["ctr"],
  slots: [
    {
      name: "recent",
      source: "short_mixed",
      view: "plain",
      max_len: 20,
      length_buckets: [5, 10, 20],
      padding: "left",
      fields: [
        { field: "item", tensor: "recent_item", buckets: 5000 },
        { field: "type", tensor: "recent_type" },
        { field: "time_gap", tensor: "recent_gap", buckets: 16 },
        { field: "position", tensor: "recent_pos" },
      ],
      mask: "recent_mask",
    },
    {
      name: "sess",
      source: "short_mixed",
      view: "sessions",
      max_len: 6,
      max_sessions: 3,
      padding: "left",
      fields: [{ field: "category", tensor: "sess_cat", buckets: 300 }],
      mask: "sess_mask",
    },
    {
      name: "sim",
      source: "long_click",
      view: "category_match",
      max_len: 8,
      padding: "left",
      fields: [{ field: "item", tensor: "sim_item", buckets: 5000 }],
      mask: "sim_mask",
    },
  ],
  candidate: [
    { field: "item", tensor: "target_item", buckets: 5000 },
    { field: "category", tensor: "target_cat", buckets: 300 },
  ],
  cand_user_index: "cand_user_index",
  outputs: { ctr: "ctr" },
});

const DTYPES = { int64: BigInt64Array, float32: Float32Array } as const;

function streamFile(n: number): { path: string; lines: string[] } {
  const gen = createGenerator({ seed: 7, users: 40, items: 2000, categories: 30, concurrentSessions: 10 });
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = gen.next();
    lines.push(JSON.stringify({ ...JSON.parse(serializeEvent(e)), p_click: e.p_click }));
  }
  const path = join(mkdtempSync(join(tmpdir(), "samples-")), "events.jsonl");
  writeFileSync(path, lines.join("\n") + "\n");
  return { path, lines };
}

describe("seqlane replay --samples", () => {
  const { path, lines } = streamFile(6000);
  const dir = join(mkdtempSync(join(tmpdir(), "samples-out-")), "set");
  const run = samplesFromFile(path, dir, manifest, DEFAULT_SPEC, { allowedLatenessMs: 3_600_000 });

  it("writes one row per distinct exposure with documented shapes", async () => {
    const summary = await run;
    const events = lines.map((l) => parseEvent(l)).flatMap((r) => (r.ok ? [r.event] : []));
    const exposures = new Set(events.filter((e) => e.type === "exposure").map((e) => e.event_id));
    expect(summary.rows).toBe(exposures.size);
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
    expect(meta.rows).toBe(summary.rows);
    const shape = (name: string) => meta.tensors.find((t: { name: string }) => t.name === name)?.shape;
    expect(shape("recent_item")).toEqual([summary.rows, 20]);
    expect(shape("sess_cat")).toEqual([summary.rows, 3, 6]);
    expect(shape("sim_item")).toEqual([summary.rows, 8]);
    expect(shape("cand_user_index")).toEqual([summary.rows]);
    const labels = new Float32Array(readFileSync(join(dir, "labels.bin")).buffer.slice(0));
    expect(labels.length).toBe(summary.rows * 3);
    expect(summary.positives.click).toBeGreaterThan(0);
    expect(summary.positives.click).toBeLessThan(summary.rows);
  });

  it("equals the serving tensors for the same user at the same moment", async () => {
    const summary = await run;
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
    const column = (name: string, dtype: keyof typeof DTYPES) => {
      const b = readFileSync(join(dir, `${name}.bin`));
      return new DTYPES[dtype](b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    };
    // Walk the stream again: before each exposure, round-trip the user's state through the
    // Redis encoding (what the scorer reads) and build with the serving builder (length buckets).
    const replayer = createReplayer(DEFAULT_SPEC, { allowedLatenessMs: 3_600_000 });
    const serving = new TensorBuilder(manifest);
    const seen = new Set<string>();
    let row = 0;
    let compared = 0;
    for (const line of lines) {
      const r = parseEvent(line);
      if (!r.ok) continue;
      const e: BehaviourEvent = r.event;
      if (e.type === "exposure" && !seen.has(e.event_id)) {
        seen.add(e.event_id);
        if (row % 37 === 0) {
          const state = replayer.states.get(e.user_id) ?? createState();
          const stored = decodeState(encodeState(state, 1));
          const batch = serving.build([
            {
              sequences: sequencesOf(stored),
              candidates: encodeCandidates([{ itemId: e.item_id, categoryId: e.category_id, brandId: e.brand_id }]),
              now: e.ts,
            },
          ]);
          for (const t of batch.tensors) {
            const spec = meta.tensors.find((m: { name: string }) => m.name === t.name);
            const rowLen = spec.shape.slice(1).reduce((a: number, b: number) => a * b, 1);
            const got = Array.from(column(t.name, t.dtype).subarray(row * rowLen, (row + 1) * rowLen), Number);
            const want = Array.from(t.data as ArrayLike<number | bigint>, Number);
            // Serving pads to a length bucket <= max_len; left padding means the sample row is
            // the serving row right-aligned behind zeros.
            const lastDim = spec.shape.length > 2 ? spec.shape[spec.shape.length - 1] : spec.shape[1];
            if (spec.shape.length === 2 && want.length < got.length) {
              expect(
                got.slice(0, got.length - want.length).every((v) => v === 0),
                t.name,
              ).toBe(true);
              expect(got.slice(got.length - want.length), t.name).toEqual(want);
            } else if (spec.shape.length === 3 && want.length < got.length) {
              const l = want.length / spec.shape[1];
              for (let s = 0; s < spec.shape[1]; s++)
                expect(got.slice(s * lastDim + lastDim - l, (s + 1) * lastDim), t.name).toEqual(
                  want.slice(s * l, (s + 1) * l),
                );
            } else {
              expect(got, t.name).toEqual(want);
            }
          }
          compared++;
        }
        row++;
      }
      replayer.push(e);
    }
    expect(row).toBe(summary.rows);
    expect(compared).toBeGreaterThan(10);
  });
});

describe("OutcomeIndex", () => {
  it("labels an exposure by the same user's actions on the same item inside each window", () => {
    const idx = new OutcomeIndex();
    const base = { schema: 1, event_id: "x", user_id: "u", item_id: "i", category_id: "c", source: "server" } as const;
    idx.add({ ...base, type: "click", ts: 1_000 + 60_000 });
    idx.add({ ...base, type: "purchase", ts: 1_000 + 25 * 3_600_000 });
    idx.add({ ...base, item_id: "other", type: "cart", ts: 2_000 });
    expect(idx.labels("u", "i", 1_000, DEFAULT_WINDOWS)).toEqual([1, 0, 0]);
    expect(idx.labels("u", "i", 1_000 + 2 * 3_600_000, DEFAULT_WINDOWS)).toEqual([0, 0, 1]);
    expect(idx.labels("v", "i", 1_000, DEFAULT_WINDOWS)).toEqual([0, 0, 0]);
  });
});
