import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  poolingFixture,
  silentLogger,
  writeModelVersion,
  writeRouting,
  type LoadedModel,
  type ModelScores,
} from "@seqlane/models";
import { createMemoryStore } from "@seqlane/sequences";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PredictionLog,
  ShadowScorer,
  createScorer,
  parseSplit,
  routeVersion,
  seedUserHistory,
  userSlot,
  type PredictionRow,
  type Scorer,
  type ShadowWork,
} from "../../src/index.js";
import { post } from "../helpers/api.js";

const loaded = new Set(["1", "2", "3"]);
const state = { schema: 1 as const, serving: "1", canary: { version: "2", share: 0.3, started_at: 0 } };

describe("routing precedence", () => {
  it("routing.json replaces the model's traffic split; the split still serves other models", () => {
    const split = parseSplit("din=3:100;pooling=3:100");
    const seen = new Map<string, number>();
    for (let u = 0; u < 5000; u++) {
      const r = routeVersion(state, split, "din", loaded, userSlot(`user-${u}`));
      expect(r.source).toBe("routing.json");
      seen.set(r.version!, (seen.get(r.version!) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(["1", "2"]);
    expect(seen.get("2")! / 5000).toBeGreaterThan(0.27);
    expect(seen.get("2")! / 5000).toBeLessThan(0.33);
    expect(routeVersion(undefined, split, "pooling", loaded, 10)).toEqual({
      version: "3",
      source: "SEQLANE_TRAFFIC_SPLIT",
    });
    expect(routeVersion(undefined, split, "bst", loaded, 10)).toEqual({ version: undefined, source: "newest" });
  });
  it("a growing canary keeps its users; versions not loaded drop out", () => {
    for (let u = 0; u < 2000; u++) {
      const slot = userSlot(`user-${u}`);
      const small = routeVersion(state, new Map(), "din", loaded, slot).version;
      const big = routeVersion(
        { ...state, canary: { ...state.canary, share: 0.6 } },
        new Map(),
        "din",
        loaded,
        slot,
      ).version;
      if (small === "2") expect(big).toBe("2");
    }
    expect(routeVersion(state, new Map(), "din", new Set(["1"]), 0).version).toBe("1");
    // None of routing.json's versions loaded: the traffic split, then the newest.
    expect(routeVersion(state, parseSplit("din=3:1"), "din", new Set(["3"]), 0)).toEqual({
      version: "3",
      source: "SEQLANE_TRAFFIC_SPLIT",
    });
  });
});

describe("shadow scoring", () => {
  const fake = (version: string, score: () => Promise<ModelScores>): LoadedModel =>
    ({ name: "din", version, score }) as unknown as LoadedModel;
  const work = (versions: LoadedModel[], n = 3): ShadowWork => ({
    versions,
    block: { sequences: {} as never, candidates: {} as never, now: 42 },
    requestId: "r1",
    userId: "u1",
    items: Array.from({ length: n }, (_, i) => `i${i}`),
    positions: Array.from({ length: n }, (_, i) => i),
    trace: undefined,
  });

  it("logs v2 rows with shadow: true; failures, throws and the bound only count", async () => {
    const sent: PredictionRow[] = [];
    const log = new PredictionLog(
      { send: async (rows) => void sent.push(...rows) },
      { maxRows: 1000, flushMs: 5 },
      silentLogger,
    );
    const shadow = new ShadowScorer({ maxRows: 100, predictions: log, logger: silentLogger });
    const ok = fake("5", async () => ({ ctr: new Float32Array([0.1, 0.2, 0.3]) }));
    const rejects = fake("6", () => Promise.reject(new Error("boom")));
    const throws = fake("7", () => {
      throw new TypeError("sync boom");
    });
    expect(() => shadow.run(work([ok, rejects, throws]))).not.toThrow();
    expect(shadow.inflightRows).toBe(9);
    // The bound: a second version does not fit beside the first, and is skipped.
    const bounded = new ShadowScorer({ maxRows: 5, predictions: log, logger: silentLogger });
    bounded.run(work([fake("8", async () => ({ ctr: new Float32Array(3) })), ok]));
    expect(bounded.inflightRows).toBe(3);
    await new Promise((r) => setTimeout(r, 30));
    await log.close();
    expect(shadow.inflightRows).toBe(0);
    expect(bounded.inflightRows).toBe(0);
    expect(sent.filter((p) => p.version === "8")).toHaveLength(3);
    expect(sent.filter((p) => p.version === "5")).toHaveLength(3); // from the first scorer only
    expect(sent.filter((p) => p.version === "5")).toEqual(
      ["i0", "i1", "i2"].map((item, i) => ({
        schema: 2,
        shadow: true,
        request_id: "r1",
        user_id: "u1",
        item_id: item,
        model: "din",
        version: "5",
        ctr: Math.fround([0.1, 0.2, 0.3][i]!),
        cvr: null,
        ts: 42,
        position: i,
      })),
    );
  });
});

describe("a scorer with routing.json", () => {
  let dir: string;
  const store = createMemoryStore();
  const sent: PredictionRow[] = [];
  let scorer: Scorer;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "seqlane-scorer-routing-"));
    for (const [seed, version] of [
      [1, "1"],
      [2, "2"],
      [3, "3"],
    ] as const) {
      const f = poolingFixture({ seed, version });
      await writeModelVersion(dir, f.manifest, f.onnx);
    }
    await writeRouting(dir, "pooling", { schema: 1, serving: "1", shadow: ["3"] });
    await seedUserHistory(store, "alice", { clicks: 50, mixed: 10 });
    scorer = createScorer({
      port: 0,
      registryDir: dir,
      registryPollMs: 0,
      session: { executionProviders: ["cpu"], intraOpThreads: 1 },
      store,
      logger: silentLogger,
      predictionSink: { send: async (rows) => void sent.push(...rows) },
      predictionFlushMs: 5,
      trafficSplit: "pooling=2:100",
    });
    url = await scorer.start();
  });
  afterAll(async () => {
    await scorer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("serves routing.json's version over the split and the newest, and logs the shadow's scores apart", async () => {
    const body = {
      user_id: "alice",
      candidates: [
        { item_id: 1, category_id: 2 },
        { item_id: 3, category_id: 4 },
      ],
      request_id: "req-1",
    };
    const r = await post(`${url}/v1/score`, body);
    expect(r.status).toBe(200);
    expect(r.body.version).toBe("1");
    const pinned = await post(`${url}/v1/score`, { ...body, request_id: "req-2", version: "1" });
    expect(pinned.body.scores).toEqual(r.body.scores); // the shadow changed nothing in the response
    await new Promise((res) => setTimeout(res, 100));
    await scorer.predictions!.flush();
    const of = (req: string) => sent.filter((p) => p.request_id === req);
    expect(of("req-1").map((p) => [p.version, p.schema === 2 && p.shadow === true])).toEqual([
      ["1", false],
      ["1", false],
      ["3", true],
      ["3", true],
    ]);
    expect(scorer.shadow.inflightRows).toBe(0);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON responses field by field
    const models = (await (await fetch(`${url}/v1/models`)).json()) as any;
    expect(models.models[0].routing).toEqual({ schema: 1, serving: "1", shadow: ["3"] });
  });
});
