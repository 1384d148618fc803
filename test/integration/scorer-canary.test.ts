/**
 * Canary and shadow through the real pipeline: a scorer whose registry holds three DIN versions
 * and a routing.json (serving 1, canary 2 on half of the users by hash, 3 in shadow) over real
 * Redis and Kafka, and the recorder writing what it logs into a throwaway ClickHouse database.
 */
import { createRecorder, type Recorder } from "@seqlane/recorder";
import { dinFixture, writeModelVersion, writeRouting } from "@seqlane/models";
import { seedUserHistory } from "@seqlane/scorer";
import { createWarehouse, ident, lit, migrate, qualified, sql, type Warehouse } from "@seqlane/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROKERS, REDIS_URL, post, rand, setupScorer, waitFor, type ScorerEnv } from "./scorer-support.js";

const CH_URL = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
const ROOT = new URL("../..", import.meta.url).pathname;

let env: ScorerEnv;
let wh: Warehouse;
let recorder: Recorder;
let eventsTopic: string;

beforeAll(async () => {
  env = await setupScorer();
  for (const [seed, version] of [
    [52, "2"],
    [53, "3"],
  ] as const) {
    const f = dinFixture({ seed, version });
    await writeModelVersion(env.registryDir, f.manifest, f.onnx);
  }
  await writeRouting(env.registryDir, "din", {
    schema: 1,
    serving: "1",
    canary: { version: "2", share: 0.5, started_at: Date.now() },
    shadow: ["3"],
  });
  eventsTopic = rand("it-canary-events");
  await env.admin.createTopics({ waitForLeaders: true, topics: [{ topic: eventsTopic, numPartitions: 1 }] });
  wh = createWarehouse({ url: CH_URL, database: `t_canary_${Date.now().toString(36)}` });
  await migrate(wh, { dir: `${ROOT}infra/clickhouse` });
  recorder = createRecorder({
    kafka: { brokers: BROKERS },
    topics: { events: eventsTopic, predictions: env.predictionsTopic },
    groupId: rand("it-canary-rec"),
    warehouse: wh,
    redis: { url: REDIS_URL, keyPrefix: `${rand("it-canary")}:` },
    batchRows: 500,
    batchMaxMs: 200,
    jobs: false,
    log: () => {},
  });
  await recorder.start();
});

afterAll(async () => {
  await recorder?.stop();
  await env?.admin.deleteTopics({ topics: [eventsTopic] }).catch(() => {});
  await env?.close();
  await wh?.command(sql`DROP DATABASE IF EXISTS ${ident(wh.database)}`).catch(() => undefined);
  await wh?.close();
});

const candidates = Array.from({ length: 6 }, (_, i) => ({ item_id: 500 + i * 11, category_id: String(1 + (i % 4)) }));

describe("routing.json: canary by user hash, shadow after the response", () => {
  it("routes users by hash (both versions, each user always the same), logs shadow scores apart", async () => {
    const { scorer, url } = await env.scorer();
    await waitFor("routing.json", () => scorer.registry.routing("din") !== undefined);
    await waitFor("three versions", () => scorer.registry.versions("din").length === 3);
    const users = Array.from({ length: 24 }, (_, i) => `canary-user-${i}`);
    for (const u of users.slice(0, 4)) await seedUserHistory(env.store, u, { clicks: 80, mixed: 10 });
    const served = new Map<string, Set<string>>();
    const responses = new Map<string, unknown>();
    for (let round = 0; round < 2; round++) {
      for (const user of users) {
        const request_id = `${user}-${round}`;
        const r = await post(`${url}/v1/score`, { user_id: user, candidates, model: "din", request_id });
        expect(r.status).toBe(200);
        expect(["1", "2"]).toContain(r.body.version);
        served.set(user, (served.get(user) ?? new Set()).add(r.body.version));
        responses.set(request_id, r.body);
      }
    }
    // Each user always lands on the same version; both versions serve.
    expect([...served.values()].every((s) => s.size === 1)).toBe(true);
    const canaries = [...served.values()].filter((s) => s.has("2")).length;
    expect(canaries).toBeGreaterThan(3);
    expect(canaries).toBeLessThan(21);
    // The shadow does not change a response: the same request pinned to its version scores alike,
    // and no response ever names the shadow version.
    for (const user of users.slice(0, 6)) {
      const first = responses.get(`${user}-0`) as { version: string; scores: unknown };
      const pinned = await post(`${url}/v1/score`, { user_id: user, candidates, model: "din", version: first.version });
      expect(pinned.body.scores).toEqual(first.scores);
    }

    // Served predictions land in `predictions`, shadow ones (v2, shadow: true) in `predictions_shadow`.
    await waitFor("shadow scoring to finish", () => scorer.shadow.inflightRows === 0);
    await scorer.predictions!.flush();
    const count = async (table: string, version: string) =>
      Number(
        (
          await wh.query<{ n: string }>(
            sql`SELECT toString(count()) AS n FROM ${qualified(wh.database, table)} FINAL
                WHERE model = 'din' AND version = ${lit(version)}`,
          )
        )[0]?.n ?? 0,
      );
    const servedRows = 2 * users.length * candidates.length; // + the 6 pinned requests
    await waitFor(
      "the recorder",
      async () => {
        await recorder.flush();
        return (await count("predictions_shadow", "3")) >= servedRows + 6 * candidates.length;
      },
      60_000,
    );
    expect((await count("predictions", "1")) + (await count("predictions", "2"))).toBe(
      servedRows + 6 * candidates.length,
    );
    expect(await count("predictions", "3")).toBe(0);
    expect(await count("predictions_shadow", "1")).toBe(0);
    // Every shadow prediction pairs with a served one: same request and item, same scoring time.
    const [pairs] = await wh.query<{ n: string; same_ts: string }>(
      sql`SELECT toString(count()) AS n, toString(sum(ts = s_ts)) AS same_ts
          FROM (SELECT request_id, item_id, ts FROM ${qualified(wh.database, "predictions")} FINAL) AS served_q
          ALL INNER JOIN (SELECT request_id, item_id, ts AS s_ts FROM ${qualified(wh.database, "predictions_shadow")} FINAL) AS shadow_q
          USING (request_id, item_id)`,
    );
    expect(Number(pairs?.n)).toBe(servedRows + 6 * candidates.length);
    expect(pairs?.same_ts).toBe(pairs?.n);
  });
});
