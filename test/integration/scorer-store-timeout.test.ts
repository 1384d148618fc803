import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectScorerRedis, redisStoreCheck, seedUserHistory } from "@seqlane/scorer";
import { createRedisStore } from "@seqlane/sequences";
import { silentLogger } from "@seqlane/models";
import {
  freePort,
  post,
  rand,
  setupScorer,
  startThrowawayRedis,
  waitFor,
  type ScorerEnv,
  type ThrowawayRedis,
} from "./scorer-support.js";

let env: ScorerEnv;
let redis: ThrowawayRedis;
beforeAll(async () => {
  env = await setupScorer();
  redis = await startThrowawayRedis();
});
afterAll(async () => {
  await redis?.stop();
  await env?.close();
});

const body = (user: string) => ({ user_id: user, candidates: [{ item_id: 1, category_id: 2 }], model: "din" });

/** One POST while the store is frozen: status, Retry-After, error code and how long it took. */
async function scoreFrozen(url: string, user: string) {
  redis.freeze();
  try {
    const t0 = performance.now();
    const r = await post(`${url}/v1/score`, body(user));
    return {
      status: r.status,
      retryAfter: r.headers.get("retry-after"),
      code: r.body.error?.code,
      ms: performance.now() - t0,
    };
  } finally {
    redis.thaw();
  }
}

describe("a hung Redis", () => {
  it("is a fast 503 with Retry-After (the store's command timeout), not a 504 at the request timeout", async () => {
    const client = connectScorerRedis(redis.url, { commandTimeoutMs: 250, logger: silentLogger });
    const store = createRedisStore({ redis: client, keyPrefix: `${rand("it")}:` });
    const user = rand("user");
    await seedUserHistory(store, user, { clicks: 50, mixed: 5 });
    try {
      const { url } = await env.scorer({ store, requestTimeoutMs: 1000, storeCheck: redisStoreCheck(client, 250) });
      expect((await post(`${url}/v1/score`, body(user))).status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const frozen = await scoreFrozen(url, user);
      expect(frozen).toMatchObject({ status: 503, retryAfter: "1", code: "store_unavailable" });
      // Not ready while the store does not answer, with the reason: no traffic should come.
      redis.freeze();
      try {
        const ready = await fetch(`${url}/readyz`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({
          status: "store_unavailable",
          reason: expect.stringContaining("redis"),
        });
      } finally {
        redis.thaw();
      }
      // Redis answers again: so does the scorer (the late replies do not confuse the client).
      await waitFor("scoring again", async () => (await post(`${url}/v1/score`, body(user))).status === 200, 5000);
    } finally {
      client.disconnect();
    }
  });

  it("the service reads SEQLANE_SCORER_REDIS_TIMEOUT_MS and passes it to its Redis client", async () => {
    const port = await freePort();
    const main = fileURLToPath(new URL("../../services/scorer/dist/main.js", import.meta.url));
    const child: ChildProcess = spawn(process.execPath, [main], {
      env: {
        PATH: process.env.PATH,
        SEQLANE_REDIS_URL: redis.url,
        SEQLANE_REDIS_PREFIX: "it-main:",
        SEQLANE_SCORER_PORT: String(port),
        SEQLANE_MODEL_REGISTRY: env.registryDir,
        SEQLANE_MODEL_POLL_MS: "60000",
        SEQLANE_PREDICTION_LOG: "false",
        SEQLANE_ITEM_CATALOG: "false",
        SEQLANE_EXECUTION_PROVIDERS: "cpu",
        SEQLANE_ORT_INTRA_OP_THREADS: "1",
        SEQLANE_BATCH_TUNE: "false",
        SEQLANE_LOG_LEVEL: "error",
        SEQLANE_SCORER_REDIS_TIMEOUT_MS: "200",
        SEQLANE_REQUEST_TIMEOUT_MS: "1500",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(
        "scorer ready",
        async () =>
          (await fetch(`${url}/readyz`).then(
            (r) => r.status,
            () => 0,
          )) === 200,
        60_000,
      );
      expect((await post(`${url}/v1/score`, body("u-main"))).status).toBe(200);
      const frozen = await scoreFrozen(url, "u-main");
      expect(frozen, stderr).toMatchObject({ status: 503, retryAfter: "1", code: "store_unavailable" });
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  });
});
