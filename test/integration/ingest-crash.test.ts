import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGenerator } from "@seqlane/generator";
import { BROKERS, REDIS_URL, exact, rand, setup, toMessages, waitFor } from "./ingest-support.js";
import type { Env } from "./ingest-support.js";

const MAIN = fileURLToPath(new URL("../../services/ingest/dist/main.js", import.meta.url));

let env: Env;
beforeAll(async () => {
  env = await setup(3);
});
afterAll(async () => env?.close());

/** The real service as a child process, configured through the environment only. */
function startService(groupId: string, prefix: string): ChildProcess {
  return spawn(process.execPath, [MAIN], {
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env,
      SEQLANE_KAFKA_BROKERS: BROKERS.join(","),
      SEQLANE_REDIS_URL: REDIS_URL,
      SEQLANE_REDIS_PREFIX: prefix,
      SEQLANE_TOPIC_EVENTS: env.topic,
      SEQLANE_TOPIC_DLQ: env.dlqTopic,
      SEQLANE_INGEST_GROUP: groupId,
      // small batches, so that the kill lands mid-stream between many commits
      SEQLANE_INGEST_MAX_BATCH_BYTES: "8192",
      OTEL_TRACES_EXPORTER: "none",
      OTEL_METRICS_EXPORTER: "none",
    },
  });
}

const exited = (c: ChildProcess) =>
  new Promise<number | null>((r) =>
    c.exitCode !== null || c.signalCode !== null ? r(c.exitCode) : c.once("exit", (code) => r(code)),
  );

describe("ingest: crash and restart", () => {
  it("SIGKILL mid-stream then restart gives the sequences of an uninterrupted run", async () => {
    const g = createGenerator({ seed: 31, users: 300, items: 3000, startTs: Date.UTC(2026, 0, 1) });
    const events = Array.from({ length: 12_000 }, () => g.next());
    const users = [...new Set(events.map((e) => e.user_id))];
    await env.produce(toMessages(events));
    const end = await env.endOffset();

    // uninterrupted reference run, in process, on its own group and key prefix
    const refPrefix = `${env.prefix}ref:`;
    const ref = env.ingest({ groupId: rand("it-ref"), keyPrefix: refPrefix });
    await ref.start();
    await waitFor("reference run", () => ref.stats.messages === events.length, 120_000);
    await ref.stop();

    const groupId = rand("it-crash");
    const a = startService(groupId, env.prefix);
    await waitFor("some commits", async () => (await env.committed(groupId)) > end * 0.2, 60_000);
    a.kill("SIGKILL");
    await exited(a);
    const atKill = await env.committed(groupId);
    expect(atKill).toBeLessThan(end);

    const b = startService(groupId, env.prefix);
    let stderr = "";
    b.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    await waitFor("restart catches up", async () => (await env.committed(groupId)) === end, 120_000);
    b.kill("SIGTERM");
    expect(await exited(b)).toBe(0);
    expect(stderr).toContain('"message":"stopped"');

    expect(await exact(env.store(), users)).toEqual(await exact(env.store(refPrefix), users));
  });
});
