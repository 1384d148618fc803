#!/usr/bin/env node
/**
 * Scorer benchmark (prints, asserts nothing): `npm run bench` in services/scorer.
 * Through the HTTP API at each concurrency, with micro-batching on (maxRows), on with the row
 * limit tuned at load (SEQLANE_BATCH_TUNE) and off, for DIN and pooling;
 * plus the bare session.run ceiling over the same batches in the same process.
 *
 * Sizes from the environment (defaults in brackets):
 *   BENCH_CONCURRENCY [1,8,32]  BENCH_CANDIDATES [200]  BENCH_SECONDS per level [3]
 *   BENCH_MODELS [din,pooling]  BENCH_USERS [32]  BENCH_LONG_CLICK [1000]  BENCH_SHORT_MIXED [50]
 *   BENCH_THREADS intra-op threads [0 = runtime default]  BENCH_PROVIDERS [cuda,cpu]
 *   BENCH_MAX_ROWS micro-batch rows [2048]  BENCH_WAIT_MS micro-batch wait [2]
 *   BENCH_WORKER inference in a worker thread [1]; 0 runs it on the event loop
 *   BENCH_REGISTRY a registry dir to serve instead of fresh fixtures (e.g. trained models)
 *   SEQLANE_REDIS_URL [redis://127.0.0.1:6379] (falls back to the in-memory store when unreachable)
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { encodeCandidates, TensorBuilder, type Manifest, type UserBlockInput } from "@seqlane/features";
import {
  openInlineRunner,
  silentLogger,
  compareVersions,
  validateManifest,
  writeFixtureModels,
  type ExecutionProvider,
  type SessionRunner,
} from "@seqlane/models";
import { createMemoryStore, createRedisStore, type SequenceStore } from "@seqlane/sequences";
import { createScorer } from "../create-scorer.js";
import { seedUserHistory } from "../testing/seed.js";
import { candidatesOf, type ClientJob, type ClientResult } from "./client.js";
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
const maxRows = Number(env.BENCH_MAX_ROWS ?? 2048);
const worker = (env.BENCH_WORKER ?? "1") !== "0";
const maxWaitMs = Number(env.BENCH_WAIT_MS ?? 2);
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

/** Closed loop in a worker thread: `c` clients each sending requests back to back for `seconds`. */
async function load(url: string, model: string, c: number, label: string): Promise<LevelResult> {
  const job: ClientJob = { url, model, concurrency: c, seconds, candidates: nCand, users: nUsers };
  const worker = new Worker(new URL("./client.js", import.meta.url), { workerData: job });
  const r = await new Promise<ClientResult>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  return summarise(label, c, r.latencies, r.errors, nCand, r.wallMs);
}

/** Bare ceiling: session.run on the calling thread over prebuilt tensors of `c` users x nCand candidates. */
async function bare(name: string, session: SessionRunner, manifest: Manifest, users: UserBlockInput[], c: number) {
  const batch = users.slice(0, c);
  while (batch.length < c) batch.push(users[batch.length % users.length]!);
  const inputs = new Set(session.inputNames);
  const built = new TensorBuilder(manifest, { reuseBuffers: false }).build(batch);
  const feeds = built.tensors.filter((t) => inputs.has(t.name));
  await session.run(feeds);
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    const t = performance.now();
    await session.run(feeds);
    latencies.push(performance.now() - t);
  }
  return summarise(`${name} bare session.run (batch of ${c})`, c, latencies, 0, nCand * c, performance.now() - t0);
}

async function main(): Promise<void> {
  const own = env.BENCH_REGISTRY === undefined;
  const dir = env.BENCH_REGISTRY ?? (await mkdtemp(join(tmpdir(), "seqlane-bench-")));
  if (own) await writeFixtureModels(dir, { seed: 7 });
  const { store, kind, close } = await openStore();
  for (let u = 0; u < nUsers; u++)
    await seedUserHistory(store, `bench-user-${u}`, { clicks: longClick, mixed: shortMixed, seed: u + 1 });
  const probe = await store.read("bench-user-0");
  console.log(
    `# scorer benchmark: ${nCand} candidates/request, ${nUsers} users (long_click ${probe.long_click.length}, short_mixed ${probe.short_mixed.length}), store ${kind}, ${seconds}s per level, intra-op threads ${threads || "default"}, batch rows ${maxRows}, wait ${maxWaitMs} ms, inference ${worker ? "in a worker thread" : "on the event loop"}`,
  );
  const rows: LevelResult[] = [];
  let provider = "?";
  for (const name of models) {
    // Ceiling first, with the same tensors the scorer would build (sequences from the store).
    const versions = (await readdir(join(dir, name))).filter((v) => !v.startsWith(".")).sort(compareVersions);
    const versionDir = join(dir, name, versions.at(-1)!);
    const manifest = validateManifest(JSON.parse(await readFile(join(versionDir, "manifest.json"), "utf8")));
    const opened = await openInlineRunner(join(versionDir, "model.onnx"), {
      executionProviders: providers,
      intraOpThreads: threads,
    });
    provider = opened.provider;
    const users: UserBlockInput[] = [];
    for (let u = 0; u < Math.min(nUsers, Math.max(...levels)); u++)
      users.push({
        sequences: await store.read(`bench-user-${u}`),
        candidates: encodeCandidates(
          candidatesOf(u, nCand).map((c) => ({ itemId: c.item_id, categoryId: c.category_id })),
        ),
        now: Date.now(),
      });
    for (const c of levels) rows.push(await bare(name, opened, manifest, users, c));
    await opened.release();
    const modes = [
      { label: "micro-batching on", enabled: true, tune: false },
      { label: "micro-batching on, tuned", enabled: true, tune: true },
      { label: "micro-batching off", enabled: false, tune: false },
    ];
    for (const mode of modes) {
      const scorer = createScorer({
        port: 0,
        registryDir: dir,
        registryPollMs: 0,
        store,
        logger: silentLogger,
        session: { executionProviders: providers, intraOpThreads: threads, worker },
        batching: { maxRows, maxWaitMs, enabled: mode.enabled, tune: mode.tune },
        maxQueuedRows: 1 << 30,
        maxCandidates: Math.max(1000, nCand),
        requestTimeoutMs: 60_000,
      });
      const url = await scorer.start();
      let label = mode.label;
      if (mode.tune) {
        const listed = (await (await fetch(`${url}/v1/models`)).json()) as {
          models: { name: string; versions: { batch_rows: number }[] }[];
        };
        const tuned = listed.models.find((m) => m.name === name)?.versions[0]?.batch_rows;
        label = `${mode.label} (${tuned} rows)`;
      }
      await load(url, name, 1, "warm-up");
      for (const c of levels) rows.push(await load(url, name, c, `${name} HTTP, ${label}`));
      await scorer.close();
    }
    console.log(table(rows.filter((r) => r.label.startsWith(name))));
  }
  console.log(`\nprovider: ${provider}`);
  await close();
  if (own) await rm(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
