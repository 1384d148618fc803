import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { createGenerator } from "@seqlane/generator";
import { DEFAULT_SPEC, createRedisStore, createReplayer, readableUser } from "@seqlane/sequences";
import { readable, rand, setup, toMessages, waitFor } from "./ingest-support.js";
import type { Env } from "./ingest-support.js";

// A private redis-server (persisting to a temp dir) that this test may stop and start.
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

let env: Env;
let port = 0;
let dir = "";
let server: ChildProcess | undefined;
const startRedis = async (): Promise<void> => {
  server = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "yes",
      "--appendfsync",
      "always",
    ],
    { stdio: "ignore" },
  );
  const probe = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => {});
  await waitFor(
    "redis up",
    async () =>
      probe.connect().then(
        () => true,
        () => false,
      ),
    10_000,
  );
  probe.disconnect();
};
const stopRedis = async (): Promise<void> => {
  const s = server!;
  s.kill("SIGTERM");
  await new Promise((r) => s.once("exit", r));
};

beforeAll(async () => {
  env = await setup(2);
  port = await freePort();
  dir = mkdtempSync(join(tmpdir(), "seqlane-redis-"));
  await startRedis();
});
afterAll(async () => {
  server?.kill("SIGTERM");
  await env?.close();
});

describe("ingest: Redis outage", () => {
  it("retries with backoff through an outage, drops no batch and commits nothing unacknowledged", async () => {
    const g = createGenerator({ seed: 51, users: 100, items: 1000, startTs: Date.UTC(2026, 0, 1) });
    const events = Array.from({ length: 6000 }, () => g.next());
    const redis = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    redis.on("error", () => {});
    const groupId = rand("it-group");
    let retries = 0;
    const ing = env.ingest({
      groupId,
      redis,
      maxBatchBytes: 16_384,
      retry: { initialMs: 20, maxMs: 200 },
      log: (level) => void (level === "warn" && retries++),
    });
    await env.produce(toMessages(events.slice(0, 3000)));
    await ing.start();
    await waitFor("first half", () => ing.stats.messages === 3000);

    await stopRedis();
    await env.produce(toMessages(events.slice(3000)));
    await waitFor("retries while Redis is down", () => retries >= 3, 30_000);
    expect(await env.committed(groupId)).toBe(3000);
    await startRedis();
    await waitFor("second half", () => ing.stats.messages === 6000, 60_000);
    expect(await env.committed(groupId)).toBe(6000);
    await ing.stop();

    const rep = createReplayer(DEFAULT_SPEC);
    for (const e of events) rep.push(e);
    const users = [...rep.states.keys()];
    expect(await readable(createRedisStore({ redis, keyPrefix: env.prefix }), users)).toEqual(
      users.map((u) => readableUser(u, rep.states.get(u)!)),
    );
    redis.disconnect();
  });
});
