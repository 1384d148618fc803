import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { poolingFixture, silentLogger, writeFixtureModels, writeModelVersion, type FixtureSet } from "@seqlane/models";
import { StoreUnavailableError, createMemoryStore } from "@seqlane/sequences";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScorer, seedUserHistory, type PredictionRow, type Scorer, type ScorerOptions } from "../../src/index.js";
import { expectedScores, post } from "../helpers/api.js";

let dir: string;
let set: FixtureSet;
const store = createMemoryStore();
const sent: PredictionRow[] = [];
const scorers: Scorer[] = [];

async function start(over: Partial<ScorerOptions> = {}): Promise<{ scorer: Scorer; url: string }> {
  const scorer = createScorer({
    port: 0,
    registryDir: dir,
    registryPollMs: 0,
    session: { executionProviders: ["cuda", "cpu"], intraOpThreads: 1 },
    store,
    logger: silentLogger,
    predictionSink: { send: async (rows) => void sent.push(...rows) },
    predictionFlushMs: 10,
    ...over,
  });
  scorers.push(scorer);
  return { scorer, url: await scorer.start() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "seqlane-scorer-"));
  set = await writeFixtureModels(dir, { seed: 21 });
  await seedUserHistory(store, "alice", { clicks: 300, mixed: 20 });
});
afterAll(async () => {
  for (const s of scorers) await s.close();
  await rm(dir, { recursive: true, force: true });
});

const cands = [
  { item_id: 17, category_id: 18 },
  { item_id: "sku-1", category_id: "3", brand_id: "b" },
  { item_id: 4242, category_id: 43 },
];
const asInputs = cands.map((c) => ({ itemId: c.item_id, categoryId: c.category_id }));

describe("POST /v1/score", () => {
  it("scores equal the independent reference (pooling and DIN), provider reported, predictions logged", async () => {
    const { scorer, url } = await start();
    const sequences = await store.read("alice");
    for (const model of ["pooling", "din"] as const) {
      const r = await post(`${url}/v1/score`, {
        user_id: "alice",
        candidates: cands,
        context: { hour_of_day: 9 },
        model,
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ model, version: "1", provider: "cpu" });
      const want = expectedScores(set, model, sequences, asInputs, { hourOfDay: 9 });
      r.body.scores.forEach((s: { item_id: unknown; ctr: number; cvr?: number }, i: number) => {
        expect(s.item_id).toBe(cands[i]!.item_id);
        expect(Math.abs(s.ctr - want.ctr[i]!)).toBeLessThan(1e-5);
        if (model === "din") expect(Math.abs(s.cvr! - want.cvr![i]!)).toBeLessThan(1e-5);
        else expect(s.cvr).toBeUndefined();
      });
    }
    await scorer.predictions!.flush();
    expect(sent.length).toBe(6);
    expect(sent[3]).toMatchObject({
      user_id: "alice",
      item_id: "17",
      model: "din",
      version: "1",
      cvr: expect.any(Number),
    });
    expect(sent[0]!.cvr).toBeNull();
  });

  it("an unknown user is scored from empty sequences; the catalog fills missing categories, request wins", async () => {
    const { scorer, url } = await start();
    const r = await post(`${url}/v1/score`, { user_id: "nobody-" + Math.random(), candidates: cands, model: "din" });
    expect(r.status).toBe(200);
    expect(r.body.scores).toHaveLength(3);
    scorer.catalog.set(17, { categoryId: 18 });
    scorer.catalog.set(4242, { categoryId: 999 });
    const bare = await post(`${url}/v1/score`, {
      user_id: "alice",
      candidates: [{ item_id: 17 }, { item_id: 4242, category_id: 43 }],
      model: "din",
    });
    const full = await post(`${url}/v1/score`, { user_id: "alice", candidates: [cands[0], cands[2]], model: "din" });
    expect(bare.body.scores.map((s: { ctr: number }) => s.ctr)).toEqual(
      full.body.scores.map((s: { ctr: number }) => s.ctr),
    );
  });

  it("malformed requests get 400 naming the field; limits; unknown model 404; auth", async () => {
    const { url } = await start({ maxCandidates: 3, maxBodyBytes: 2048, authToken: "s3cret" });
    const auth = { authorization: "Bearer s3cret" };
    const cases: [unknown, string][] = [
      ["{nope", "(body)"],
      [{ candidates: cands }, "user_id"],
      [{ user_id: "u", candidates: "x" }, "candidates"],
      [{ user_id: "u", candidates: [...cands, ...cands] }, "candidates"],
      [{ user_id: "u", candidates: [{ item_id: 1 }, { item_id: null }] }, "candidates[1].item_id"],
      [{ user_id: "u", candidates: [{ item_id: 1 }], context: { day_of_week: 9 } }, "context.day_of_week"],
    ];
    for (const [body, field] of cases) {
      const r = await post(`${url}/v1/score`, body, auth);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.field).toBe(field);
      expect(r.body.error.message.startsWith(field)).toBe(true);
    }
    expect(
      (await post(`${url}/v1/score`, { user_id: "u", candidates: [{ item_id: "x".repeat(3000) }] }, auth)).status,
    ).toBe(413);
    const unknown = await post(`${url}/v1/score`, { user_id: "u", candidates: [{ item_id: 1 }], model: "nope" }, auth);
    expect([unknown.status, unknown.body.error.field]).toEqual([404, "model"]);
    const noAuth = await post(`${url}/v1/score`, { user_id: "u", candidates: [{ item_id: 1 }] });
    expect(noAuth.status).toBe(401);
    expect((await fetch(`${url}/v1/models`)).status).toBe(401);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON responses field by field
    const models = (await (await fetch(`${url}/v1/models`, { headers: auth })).json()) as any;
    expect(models.models.map((m: { name: string }) => m.name)).toEqual(["din", "pooling"]);
    expect(models.models[0].versions[0]).toMatchObject({ version: "1", provider: "cpu", tasks: ["ctr", "cvr"] });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await fetch(`${url}/v1/score`)).status).toBe(405);
  });

  it("not ready until a model is loaded", async () => {
    const empty = await mkdtemp(join(tmpdir(), "seqlane-empty-"));
    const { url } = await start({ registryDir: empty });
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    const r = await post(`${url}/v1/score`, { user_id: "u", candidates: [{ item_id: 1 }] });
    expect(r.status).toBe(503);
    await rm(empty, { recursive: true, force: true });
  });

  it("overload: fast 503s with Retry-After once admitted rows pass the bound, the rest succeed", async () => {
    const { scorer, url } = await start({
      maxQueuedRows: 120,
      // Hold admitted requests in the batcher so that the later ones find the queue full.
      batching: { maxRows: 2048, maxWaitMs: 150, enabled: true, waitWhenIdle: true },
    });
    const body = {
      user_id: "alice",
      candidates: Array.from({ length: 50 }, (_, i) => ({ item_id: i, category_id: i % 7 })),
      model: "din",
    };
    const completed: number[] = []; // statuses in the order the responses arrived
    const results = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const r = await post(`${url}/v1/score`, body);
        completed.push(r.status);
        return r;
      }),
    );
    const shed = results.filter((r) => r.status === 503);
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(shed).toHaveLength(10);
    expect(shed.every((r) => r.headers.get("retry-after") === "1" && r.body.error.code === "overloaded")).toBe(true);
    // Shed fast: every 503 is answered while the admitted requests are still held in the batch.
    expect(completed.slice(0, 10)).toEqual(Array(10).fill(503));
    expect(scorer.admittedRows).toBe(0);
  });

  it("a request slower than the timeout gets 504 and its rows still count until the batch ran", async () => {
    const { scorer, url } = await start({
      requestTimeoutMs: 5,
      batching: { maxRows: 2048, maxWaitMs: 100, enabled: true, waitWhenIdle: true },
    });
    const r = await post(`${url}/v1/score`, { user_id: "alice", candidates: [{ item_id: 1 }], model: "din" });
    expect([r.status, r.body.error.code]).toEqual([504, "timeout"]);
    expect(scorer.registry.pendingRows).toBe(1);
    await new Promise((res) => setTimeout(res, 200));
    expect(scorer.registry.pendingRows).toBe(0);
  });

  it("a sequence store outage is a retriable 503, not a 500", async () => {
    // A store whose reads fail as the Redis store's do when Redis is down (a fake of our interface).
    const down = {
      read: () => Promise.reject(new StoreUnavailableError("read sequence state: connect ECONNREFUSED", undefined)),
    };
    const { url } = await start({ store: down });
    const r = await post(`${url}/v1/score`, { user_id: "alice", candidates: [{ item_id: 1 }], model: "din" });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe("store_unavailable");
    expect(r.headers.get("retry-after")).toBe("1");
  });

  it("traffic split by user hash between loaded versions", async () => {
    const v2 = poolingFixture({ seed: 77, version: "2" });
    const splitDir = await mkdtemp(join(tmpdir(), "seqlane-split-"));
    await writeModelVersion(splitDir, set.pooling.manifest, set.pooling.onnx);
    await writeModelVersion(splitDir, v2.manifest, v2.onnx);
    const { url } = await start({ registryDir: splitDir, trafficSplit: "pooling=1:50,2:50" });
    const seen = new Map<string, string>();
    for (let u = 0; u < 40; u++) {
      const r = await post(`${url}/v1/score`, { user_id: `u${u}`, candidates: [{ item_id: 1 }] });
      seen.set(`u${u}`, r.body.version);
    }
    const counts = [...seen.values()].reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>());
    expect(counts.get("1")).toBeGreaterThan(8);
    expect(counts.get("2")).toBeGreaterThan(8);
    const again = await post(`${url}/v1/score`, { user_id: "u7", candidates: [{ item_id: 1 }] });
    expect(again.body.version).toBe(seen.get("u7"));
    const pinned = await post(`${url}/v1/score`, { user_id: "u7", candidates: [{ item_id: 1 }], version: "2" });
    expect(pinned.body.version).toBe("2");
    await rm(splitDir, { recursive: true, force: true });
  });
});
