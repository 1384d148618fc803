#!/usr/bin/env node
/**
 * Scorer benchmark (prints, asserts nothing): `npm run bench` in services/scorer.
 * Through the HTTP API at each concurrency, with micro-batching on and off, for DIN and pooling;
 * plus the bare session.run ceiling over the same batches in the same process.
 *
 * Sizes from the environment (defaults in brackets):
 *   BENCH_CONCURRENCY [1,8,32]  BENCH_CANDIDATES [200]  BENCH_SECONDS per level [3]
 *   BENCH_MODELS [din,pooling]  BENCH_USERS [32]  BENCH_LONG_CLICK [1000]  BENCH_SHORT_MIXED [50]
 *   BENCH_THREADS intra-op threads [0 = runtime default]  BENCH_PROVIDERS [cuda,cpu]
 *   SEQLANE_REDIS_URL [redis://127.0.0.1:6379] (falls back to the in-memory store when unreachable)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { encodeCandidates, type UserBlockInput } from "@seqlane/features";
import { openSession, LoadedModel, silentLogger, writeFixtureModels, type ExecutionProvider } from "@seqlane/models";
import { createMemoryStore, createRedisStore, type SequenceStore } from "@seqlane/sequences";
import { createScorer } from "../create-scorer.js";
import { seedUserHistory } from "../testing/seed.js";
import { summarise, table, type LevelResult } from "./stats.js";

const env = process.env;
const levels = (env.BENCH_CONCURRENCY ?? "1,8,32").split(",").map(Number);
const nCand = Number(env.BENCH_CANDIDATES ?? 200);
const seconds = Number(env.BENCH_SECONDS ?? 3);
const models = (env.BENCH_MODELS ?? "din,pooling").split(",");
const nUsers = Number(env.BENCH_USERS ?? 32);
const longClick = Number(env.BENCH_LONG_CLICK ?? 1000);
const shortMixed = Number(env.BENCH_SHORT_MIXED ?? 50);
const threads = Number(env.BENCH_THREADS ?? 0);
const providers = (env.BENCH_PROVIDERS ?? "cuda,cpu").split(",") as ExecutionProvider[];

async function openStore(): Promise<{ store: SequenceStore; kind: string; close(): Promise<void> }> {
  const redis = new Redis(env.SEQLANE_REDIS_URL ?? "redis://127.0.0.1:6379", {
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    enableAutoPipelining: true,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    redis.disconnect();
    return { store: createMemoryStore(), kind: "memory (Redis unreachable)", close: async () => {} };
  }
  const prefix = `bench-${process.pid}-${Date.now()}:`;
  return {
    store: createRedisStore({ redis, keyPrefix: prefix }),
    kind: "redis",
    async close() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

const candidatesOf = (r: number) =>
  Array.from({ length: nCand }, (_, i) => ({
    item_id: 1 + ((r * 7919 + i * 104729) % 50_000),
    category_id: 1 + (i % 200),
  }));

/** Closed loop: `c` workers each sending requests back to back for `seconds`. */
async function load(url: string, model: string, c: number, label: string): Promise<LevelResult> {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: c }, async (_, w) => {
      let r = w;
      while (performance.now() < end) {
        const body = JSON.stringify({ user_id: `bench-user-${r % nUsers}`, candidates: candidatesOf(r), model });
        const t = performance.now();
        const res = await fetch(`${url}/v1/score`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        await res.arrayBuffer();
        if (res.status === 200) latencies.push(performance.now() - t);
        else errors++;
        r += c;
      }
    }),
  );
  return summarise(label, c, latencies, errors, nCand, performance.now() - t0);
}

/** Bare ceiling: session.run over prebuilt batches of `c` users x nCand candidates, back to back. */
async function bare(model: LoadedModel, users: UserBlockInput[], c: number): Promise<LevelResult> {
  const batch = users.slice(0, c);
  while (batch.length < c) batch.push(users[batch.length % users.length]!);
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    const t = performance.now();
    await model.runBatch(batch);
    latencies.push(performance.now() - t);
  }
  return summarise(
    `${model.name} bare session.run (batch of ${c})`,
    c,
    latencies,
    0,
    nCand * c,
    performance.now() - t0,
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "seqlane-bench-"));
  const fixtures = await writeFixtureModels(dir, { seed: 7 });
  const { store, kind, close } = await openStore();
  for (let u = 0; u < nUsers; u++)
    await seedUserHistory(store, `bench-user-${u}`, { clicks: longClick, mixed: shortMixed, seed: u + 1 });
  const probe = await store.read("bench-user-0");
  console.log(
    `# scorer benchmark: ${nCand} candidates/request, ${nUsers} users (long_click ${probe.long_click.length}, short_mixed ${probe.short_mixed.length}), store ${kind}, ${seconds}s per level, intra-op threads ${threads || "default"}`,
  );
  const rows: LevelResult[] = [];
  let provider = "?";
  for (const name of models) {
    // Ceiling first, with the same tensors the scorer would build (sequences from the store).
    const f = fixtures[name as "din" | "pooling"];
    const opened = await openSession(f.onnx, { executionProviders: providers, intraOpThreads: threads });
    provider = opened.provider;
    const model = new LoadedModel(f.manifest, opened.session, opened.provider, {
      maxRows: 1 << 30,
      maxWaitMs: 0,
      enabled: false,
    });
    const users: UserBlockInput[] = [];
    for (let u = 0; u < Math.min(nUsers, Math.max(...levels)); u++)
      users.push({
        sequences: await store.read(`bench-user-${u}`),
        candidates: encodeCandidates(candidatesOf(u).map((c) => ({ itemId: c.item_id, categoryId: c.category_id }))),
        now: Date.now(),
      });
    await model.runBatch(users.slice(0, 1));
    for (const c of levels) rows.push(await bare(model, users, c));
    await model.release();
    for (const batching of [true, false]) {
      const scorer = createScorer({
        port: 0,
        registryDir: dir,
        registryPollMs: 0,
        store,
        logger: silentLogger,
        session: { executionProviders: providers, intraOpThreads: threads },
        batching: { maxRows: 8192, maxWaitMs: 2, enabled: batching },
        maxQueuedRows: 1 << 30,
        maxCandidates: Math.max(1000, nCand),
        requestTimeoutMs: 60_000,
      });
      const url = await scorer.start();
      await load(url, name, 1, "warm-up");
      for (const c of levels)
        rows.push(await load(url, name, c, `${name} HTTP, micro-batching ${batching ? "on" : "off"}`));
      await scorer.close();
    }
    console.log(table(rows.filter((r) => r.label.startsWith(name))));
  }
  console.log(`\nprovider: ${provider}`);
  await close();
  await rm(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
