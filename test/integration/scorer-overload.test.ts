import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedUserHistory } from "@seqlane/scorer";
import { post, rand, setupScorer, type ScorerEnv } from "./scorer-support.js";

let env: ScorerEnv;
beforeAll(async () => {
  env = await setupScorer();
});
afterAll(async () => env?.close());

describe("overload", () => {
  it("sheds with fast 503 + Retry-After and keeps memory bounded", async () => {
    const user = rand("user");
    await seedUserHistory(env.store, user, { clicks: 1000, mixed: 50 });
    const { scorer, url } = await env.scorer({
      maxQueuedRows: 2000,
      batching: { maxRows: 1000, maxWaitMs: 2, enabled: true },
    });
    const body = {
      user_id: user,
      candidates: Array.from({ length: 200 }, (_, i) => ({ item_id: i, category_id: i % 11 })),
      model: "din",
    };
    await post(`${url}/v1/score`, body); // warm
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let maxAdmitted = 0;
    const sampler = setInterval(() => (maxAdmitted = Math.max(maxAdmitted, scorer.admittedRows)), 1);
    const results: { status: number; ms: number; retryAfter: string | null }[] = [];
    for (let wave = 0; wave < 3; wave++) {
      const batch = await Promise.all(
        Array.from({ length: 150 }, async () => {
          const t = performance.now();
          const r = await post(`${url}/v1/score`, body);
          return { status: r.status, ms: performance.now() - t, retryAfter: r.headers.get("retry-after") };
        }),
      );
      results.push(...batch);
    }
    clearInterval(sampler);
    const ok = results.filter((r) => r.status === 200);
    const shed = results.filter((r) => r.status === 503);
    expect(ok.length + shed.length).toBe(results.length);
    expect(shed.length).toBeGreaterThan(results.length / 2);
    expect(shed.every((r) => r.retryAfter === "1")).toBe(true);
    const sorted = shed.map((r) => r.ms).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const okMedian = ok.map((r) => r.ms).sort((a, b) => a - b)[Math.floor(ok.length / 2)]!;
    // a refusal costs far less than a scored request
    expect(median).toBeLessThan(okMedian);
    expect(maxAdmitted).toBeLessThanOrEqual(2000);
    global.gc?.();
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(200 * 1024 * 1024);
    expect(scorer.admittedRows).toBe(0);
  });
});
