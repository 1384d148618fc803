import { buildSamples, TensorBuilder } from "@seqlane/features";
import { afterAll, describe, expect, it } from "vitest";
import { dinFixture, LoadedModel, openRunner, poolingFixture, reference } from "../../src/index.js";
import { randomUsers } from "./users.js";

const models: LoadedModel[] = [];
afterAll(async () => {
  for (const m of models) await m.release();
});

async function load(f: ReturnType<typeof poolingFixture> | ReturnType<typeof dinFixture>, worker = false) {
  const opened = await openRunner(f.onnx, { executionProviders: ["cuda", "cpu"], intraOpThreads: 1, worker });
  const m = new LoadedModel(f.manifest, opened, { maxRows: 1000, maxWaitMs: 1, enabled: true });
  models.push(m);
  return { m, opened };
}

describe.each([
  ["pooling", () => poolingFixture({ seed: 11 })],
  ["din", () => dinFixture({ seed: 12 })],
])("%s fixture equals the plain-JS reference", (_name, make) => {
  it.each([false, true])(
    "over users of many lengths (every length bucket, unknown user, over max_len), worker %s",
    async (worker) => {
      const f = make();
      const { m, opened } = await load(f, worker);
      expect(opened.provider).toBe("cpu");
      expect(opened.skipped.map((s) => s.provider)).toEqual(["cuda"]);
      for (const lengths of [[0], [3, 20], [0, 40, 70], [150, 1, 1000]]) {
        const users = randomUsers(lengths, 7, lengths.length * 31 + lengths[0]!);
        const got = await m.runBatch(users);
        const tensors = new TensorBuilder(f.manifest, { reuseBuffers: false }).build(users).tensors;
        const want = reference(f.weights, tensors);
        let at = 0;
        users.forEach((u, i) => {
          for (const task of f.manifest.tasks) {
            const g = got[i]![task]!;
            const w = want[task as "ctr"]!.subarray(at, at + u.candidates.count);
            expect(g.length).toBe(u.candidates.count);
            g.forEach((x, k) => expect(Math.abs(x - w[k]!)).toBeLessThan(1e-5));
          }
          at += u.candidates.count;
        });
      }
    },
  );

  it("training samples (row per candidate, max_len) give the same scores as serving", async () => {
    const f = make();
    const { m } = await load(f);
    const users = randomUsers([5, 33], 4, 99);
    const served = await m.runBatch(users);
    // Decode candidates back into raw ids is not possible from id64, so rebuild them from the encoded arrays.
    const samples = users.flatMap((u) =>
      Array.from({ length: u.candidates.count }, (_, k) => ({
        sequences: u.sequences,
        now: u.now,
        context: u.context,
        k,
        u,
      })),
    );
    const batch = buildSamples(
      f.manifest,
      samples.map((s) => ({ sequences: s.sequences, now: s.now, context: s.context, candidate: { itemId: 0 } })),
    );
    // Patch candidate tensors from the serving build (same hashing code path), then compare.
    const serve = new TensorBuilder(f.manifest, { reuseBuffers: false }).build(users);
    const tensors = batch.tensors.map((t) => {
      const cand = f.manifest.candidate.find((c) => c.tensor === t.name);
      return cand ? serve.tensors.find((x) => x.name === t.name)! : t;
    });
    expect(tensors.find((t) => t.name === "cand_user_index")!.dims).toEqual([samples.length]);
    const want = reference(f.weights, tensors);
    const flat = served.flatMap((r) => Array.from(r.ctr!));
    flat.forEach((x, i) => expect(Math.abs(x - want.ctr[i]!)).toBeLessThan(1e-5));
  });
});
