import type { Attributes } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedUserHistory } from "@seqlane/scorer";
import { METRICS, startTelemetry, type Telemetry } from "@seqlane/telemetry";
import { post, RawConnection, rand, scoreHead, setupScorer, waitFor, type ScorerEnv } from "./scorer-support.js";

let env: ScorerEnv;
let tel: Telemetry;
let user: string;
beforeAll(async () => {
  // Before any scorer exists: its instruments bind to the global MeterProvider on first use.
  tel = startTelemetry({ serviceName: "it-scorer-aborts", env: {} });
  env = await setupScorer();
  user = rand("user");
  await seedUserHistory(env.store, user, { clicks: 50, mixed: 5 });
});
afterAll(async () => {
  await env?.close();
  await tel?.shutdown();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Attributes of every recorded point of the request-duration histogram, with its count. */
async function durationPoints(): Promise<{ attributes: Attributes; count: number }[]> {
  const m = (await tel.collectMetrics()).find((d) => d.descriptor.name === METRICS.scoreDuration.name);
  return (m?.dataPoints ?? []).map((p) => ({ attributes: p.attributes, count: (p.value as { count: number }).count }));
}

describe("client aborts", () => {
  it("are counted as aborts (outcome aborted), logged below error, never as 500s", async () => {
    const logged: { level: string; msg: string }[] = [];
    const at = (level: string) => (msg: string) => void logged.push({ level, msg });
    const { scorer, url } = await env.scorer({
      logger: { info: at("info"), warn: at("warn"), error: at("error") },
      // Hold each request in the batcher so a client can leave while it is being scored.
      batching: { maxRows: 2048, maxWaitMs: 300, enabled: true, waitWhenIdle: true },
    });
    const body = Buffer.from(JSON.stringify({ user_id: user, candidates: [{ item_id: 1 }], model: "din" }));

    // 1. The client leaves half way through its body.
    const midBody = await RawConnection.open(url);
    await midBody.write(scoreHead(url, body.length));
    await midBody.write(body.subarray(0, 10));
    await sleep(50);
    midBody.destroy();

    // 2. The client sends everything and leaves while its request is being scored.
    const midScore = await RawConnection.open(url);
    await midScore.write(scoreHead(url, body.length));
    await midScore.write(body);
    await sleep(100);
    midScore.destroy();

    await sleep(600); // the held batch runs; its answer has nowhere to go
    await waitFor("rows released", () => scorer.admittedRows === 0, 3000);
    expect((await post(`${url}/v1/score`, JSON.parse(body.toString()))).status).toBe(200);

    const points = await durationPoints();
    const aborted = points.filter((p) => p.attributes.outcome === "aborted").reduce((n, p) => n + p.count, 0);
    expect(aborted, JSON.stringify(points)).toBe(2);
    expect(points.filter((p) => p.attributes.status === "500")).toEqual([]);
    expect(points.find((p) => p.attributes.status === "200")?.count).toBe(1);
    expect(logged.filter((l) => l.level === "error")).toEqual([]);
  });
});
