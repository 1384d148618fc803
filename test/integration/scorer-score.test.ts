import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCandidates, TensorBuilder } from "@seqlane/features";
import { reference } from "@seqlane/models";
import { followItemsTopic, seedUserHistory } from "@seqlane/scorer";
import { silentLogger } from "@seqlane/models";
import { post, rand, setupScorer, waitFor, type ScorerEnv } from "./scorer-support.js";

let env: ScorerEnv;
beforeAll(async () => {
  env = await setupScorer();
});
afterAll(async () => env?.close());

const candidates = Array.from({ length: 40 }, (_, i) => ({
  item_id: i % 3 === 0 ? `sku-${i}` : 1000 + i * 37,
  category_id: String(1 + (i % 9)),
}));

describe("scorer over real Redis and Kafka", () => {
  it("scores equal the independent reference to 1e-5 for DIN and pooling; every candidate lands on `predictions`", async () => {
    const user = rand("user");
    await seedUserHistory(env.store, user, { clicks: 1000, mixed: 30, categories: 9 });
    const { scorer, url } = await env.scorer();
    const sequences = await env.store.read(user);
    expect(sequences.long_click.length).toBeGreaterThan(100);
    for (const model of ["din", "pooling"] as const) {
      const r = await post(`${url}/v1/score`, {
        user_id: user,
        candidates,
        context: { hour_of_day: 20 },
        model,
        request_id: `req-${model}`,
      });
      expect(r.status).toBe(200);
      const f = env.fixtures[model];
      // Reference: training-sample layout (max_len, one row per candidate), plain-JS maths.
      const batch = new TensorBuilder(f.manifest, { reuseBuffers: false, fixedLengths: true }).build([
        {
          sequences,
          candidates: encodeCandidates(candidates.map((c) => ({ itemId: c.item_id, categoryId: c.category_id }))),
          context: { hourOfDay: 20 },
          now: Date.now(),
        },
      ]);
      const want = reference(f.weights, batch.tensors);
      r.body.scores.forEach((s: { ctr: number; cvr?: number }, i: number) => {
        expect(Math.abs(s.ctr - want.ctr[i]!)).toBeLessThan(1e-5);
        if (want.cvr) expect(Math.abs(s.cvr! - want.cvr[i]!)).toBeLessThan(1e-5);
      });
    }
    await scorer.predictions!.flush();
    const got: Record<string, unknown>[] = [];
    const consumer = env.kafka.consumer({ groupId: rand("it-pred") });
    await consumer.connect();
    await consumer.subscribe({ topic: env.predictionsTopic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(JSON.parse(message.value!.toString())) });
    await waitFor("predictions", () => got.length >= 2 * candidates.length);
    await consumer.disconnect();
    const din = got.filter((p) => p.request_id === "req-din");
    expect(din).toHaveLength(candidates.length);
    expect(din[0]).toMatchObject({
      user_id: user,
      model: "din",
      version: "1",
      cvr: expect.any(Number),
      ts: expect.any(Number),
    });
    expect(got.filter((p) => p.request_id === "req-pooling").every((p) => p.cvr === null)).toBe(true);
    expect(scorer.predictions!.dropCount).toBe(0);
  });

  it("an unknown user gets scores from empty sequences", async () => {
    const { url } = await env.scorer();
    const r = await post(`${url}/v1/score`, { user_id: rand("ghost"), candidates: candidates.slice(0, 5) });
    expect(r.status).toBe(200);
    expect(r.body.scores).toHaveLength(5);
    expect(r.body.scores.every((s: { ctr: number }) => s.ctr > 0 && s.ctr < 1)).toBe(true);
  });

  it("bare item ids take category from the compacted items topic; tombstones delete; request attributes win", async () => {
    const user = rand("user");
    await seedUserHistory(env.store, user, { clicks: 200, categories: 9 });
    const { scorer, url } = await env.scorer();
    const items = await followItemsTopic(env.kafka, env.itemsTopic, scorer.catalog, silentLogger);
    await env.producer.send({
      topic: env.itemsTopic,
      messages: [
        { key: "1037", value: JSON.stringify({ item_id: 1037, category_id: "2", brand_id: "b9" }) },
        { key: "sku-x", value: JSON.stringify({ item_id: "sku-x", category_id: "5" }) },
        { key: "gone", value: JSON.stringify({ item_id: "gone", category_id: "5" }) },
        { key: "gone", value: null },
      ],
    });
    await waitFor(
      "catalog",
      () => scorer.catalog.get("sku-x") !== undefined && scorer.catalog.get("1037") !== undefined,
    );
    await waitFor("tombstone", () => scorer.catalog.get("gone") === undefined);
    const bare = await post(`${url}/v1/score`, {
      user_id: user,
      candidates: [{ item_id: 1037 }, { item_id: "sku-x", category_id: "7" }],
      model: "din",
    });
    const full = await post(`${url}/v1/score`, {
      user_id: user,
      candidates: [
        { item_id: 1037, category_id: "2", brand_id: "b9" },
        { item_id: "sku-x", category_id: "7" },
      ],
      model: "din",
    });
    expect(bare.body.scores).toEqual(full.body.scores);
    await items.stop();
  });
});
