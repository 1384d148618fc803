import { existsSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { Redis } from "ioredis";
import { logLevel } from "kafkajs";
import {
  clickhouse as clickhouseSpec,
  ingest as ingestSpec,
  kafka as kafkaSpec,
  load,
  recorder as recorderSpec,
  redis as redisSpec,
  scorer as scorerSpec,
} from "@seqlane/config";
import { createGenerator } from "@seqlane/generator";
import { createIngest } from "@seqlane/ingest";
import { consoleLogger, writeFixtureModels } from "@seqlane/models";
import { createRecorder } from "@seqlane/recorder";
import { createScorer, kafkaPredictionSink } from "@seqlane/scorer";
import { createRedisStore, loadSpec } from "@seqlane/sequences";
import { createKafka } from "@seqlane/service";
import { startTelemetry, type Telemetry } from "@seqlane/telemetry";
import { createWarehouse } from "@seqlane/warehouse";
import { run as runEval } from "../commands/eval.js";
import type { DemoArgs } from "./args.js";
import { Driver } from "./driver.js";
import { ingestLag } from "./lag.js";
import { printSpanSummary } from "./summary.js";

/** Attribution windows of the demo: short, so outcomes close within its few minutes. */
const DEMO_WINDOWS = { clickMs: 20_000, cartMs: 40_000, purchaseMs: 40_000 };
const PROGRESS_MS = 5000;

const say = (msg: string): void => void process.stdout.write(`[demo] ${msg}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");

/** Model names in the registry (directories holding at least one version with a manifest). */
function registryModels(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith("."))
    .filter((d) => readdirSync(resolve(dir, d.name)).some((v) => existsSync(resolve(dir, d.name, v, "manifest.json"))))
    .map((d) => d.name)
    .sort();
}

export interface DemoResult {
  /** Exit code of the evaluation step (0 when the table was printed). */
  readonly code: number;
  /** Prefix of this run's event and request ids. */
  readonly runId: string;
  readonly startedAt: number;
  readonly models: readonly string[];
  readonly eventIds: ReadonlySet<string>;
  readonly requests: number;
  readonly requestErrors: number;
}

export interface DemoOptions {
  /** Telemetry to use (tests pass one with in-memory spans); default: started and shut down here. */
  readonly telemetry?: Telemetry;
}

export async function runDemo(args: DemoArgs, options: DemoOptions = {}): Promise<DemoResult> {
  const cfg = {
    kafka: load(kafkaSpec),
    redis: load(redisSpec),
    clickhouse: load(clickhouseSpec),
    ingest: load(ingestSpec),
    scorer: load(scorerSpec),
    recorder: load(recorderSpec),
  };
  const startedAt = Date.now();
  const telemetry = options.telemetry ?? startTelemetry({ serviceName: "seqlane-demo" });
  const registryDir = resolve(cfg.scorer.registryDir);
  let models = registryModels(registryDir);
  if (models.length === 0) {
    await writeFixtureModels(registryDir);
    models = registryModels(registryDir);
    say(
      `no models in ${registryDir}: wrote the untrained fixture models (${models.join(", ")}); publish trained ones with`,
    );
    say(`  seqlane models publish --from training/out/<model> --registry ${registryDir}`);
  } else say(`models from ${registryDir}: ${models.join(", ")}`);
  if (args.models.length > 0) {
    const missing = args.models.filter((m) => !models.includes(m));
    if (missing.length > 0)
      throw new Error(`--models: not in the registry: ${missing.join(", ")} (have ${models.join(", ")})`);
    models = [...args.models];
  }

  const kafka = createKafka({
    clientId: `${cfg.kafka.clientId}-demo`,
    brokers: cfg.kafka.brokers,
    connectTimeoutMs: cfg.kafka.connectTimeoutMs,
    logLevel: logLevel.NOTHING,
  });
  const redis = new Redis(cfg.redis.url, { maxRetriesPerRequest: 1 });
  const warehouse = createWarehouse({
    url: cfg.clickhouse.url,
    database: cfg.clickhouse.database,
    username: cfg.clickhouse.user,
    password: cfg.clickhouse.password,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const predictionProducer = kafka.producer({ allowAutoTopicCreation: false });
  await Promise.all([producer.connect(), predictionProducer.connect()]);
  const quiet = { ...consoleLogger, info: () => {} };

  const ingest = createIngest({
    kafka,
    redis,
    topic: cfg.kafka.eventsTopic,
    dlqTopic: cfg.kafka.dlqTopic,
    groupId: cfg.ingest.groupId,
    keyPrefix: cfg.redis.keyPrefix,
    spec: loadSpec(cfg.ingest.sequenceSpecPath),
    allowedLatenessMs: cfg.ingest.allowedLatenessMs,
    maxEventBytes: cfg.ingest.maxEventBytes,
    maxFutureSkewMs: cfg.ingest.maxFutureSkewMs,
    // Start at the end: the demo's users are new, older runs' events are not its story.
    fromBeginning: false,
  });
  const scorer = createScorer({
    port: 0,
    registryDir,
    session: { executionProviders: cfg.scorer.executionProviders },
    store: createRedisStore({ redis, keyPrefix: cfg.redis.keyPrefix }),
    predictionSink: kafkaPredictionSink(predictionProducer, cfg.kafka.predictionsTopic),
    logger: quiet,
  });
  const recorder = createRecorder({
    kafka: { brokers: cfg.kafka.brokers, clientId: cfg.kafka.clientId },
    topics: { events: cfg.kafka.eventsTopic, predictions: cfg.kafka.predictionsTopic },
    groupId: cfg.recorder.groupId,
    events: { maxBytes: cfg.ingest.maxEventBytes, maxFutureSkewMs: cfg.ingest.maxFutureSkewMs },
    warehouse,
    redis: { url: cfg.redis.url, keyPrefix: cfg.redis.keyPrefix },
    batchMaxMs: cfg.recorder.batchMaxMs,
    jobs: { labelEveryMs: 10_000, evalEveryMs: 30_000, windows: DEMO_WINDOWS, graceMs: 5_000, overlapMs: 60_000 },
    log: (level, msg, fields) => {
      if (level !== "info") say(`recorder ${level}: ${msg} ${JSON.stringify(fields ?? {})}`);
    },
  });

  await Promise.all([ingest.start(), recorder.start()]);
  const scorerUrl = await scorer.start();
  const loaded = scorer.registry.names().map((n) => {
    const m = scorer.registry.get(n);
    return `${n} v${m?.version ?? "?"} on ${m?.provider ?? "?"}`;
  });
  say(`ingest, recorder and scorer (${scorerUrl}) running; models ${loaded.join(", ")}`);

  // Ids unique to this run: a rerun must not be deduplicated against an earlier one.
  const runId = `demo${startedAt.toString(36)}`;
  const gen = createGenerator({
    seed: args.seed,
    users: args.users,
    startTs: Date.now(),
    eventIntervalMs: 1000 / args.rate,
    idPrefix: runId,
  });
  const driver = new Driver({
    gen,
    producer,
    topic: cfg.kafka.eventsTopic,
    scorerUrl,
    models,
    rate: args.rate,
    requestRate: args.requestRate,
    candidates: args.candidates,
    runId,
  });
  const admin = kafka.admin();
  await admin.connect();
  const progress = async (): Promise<void> => {
    const s = driver.stats;
    const t = Math.round((Date.now() - startedAt) / 1000);
    const lag = await ingestLag(admin, cfg.ingest.groupId, cfg.kafka.eventsTopic).catch(() => NaN);
    const r = recorder.stats();
    say(
      `${Math.floor(t / 60)}:${String(t % 60).padStart(2, "0")} events in ${fmt(s.eventsProduced)} | ingest applied ${fmt(ingest.stats.applied)}, lag ${Number.isNaN(lag) ? "?" : fmt(lag)} | ` +
        `scored ${fmt(s.requests)} requests (${fmt(s.requestErrors)} failed), p99 ${s.latency.quantile(0.99).toFixed(1)} ms | recorded ${fmt(r.rowsWritten)} rows`,
    );
  };
  say(
    `traffic for ${args.minutes} min: ${args.rate} events/s, ${args.requestRate} scoring requests/s over ${models.join(", ")}`,
  );
  driver.start();
  const ticker = setInterval(() => void progress(), PROGRESS_MS);
  await sleep(args.minutes * 60_000);
  await driver.stop();
  clearInterval(ticker);

  const closeAt = Date.now() + Math.max(DEMO_WINDOWS.clickMs, DEMO_WINDOWS.cartMs, DEMO_WINDOWS.purchaseMs) + 6_000;
  say(`traffic stopped; waiting ${Math.round((closeAt - Date.now()) / 1000)} s for the attribution windows to close`);
  while (Date.now() < closeAt) {
    await sleep(Math.min(PROGRESS_MS, closeAt - Date.now()));
    await progress();
  }
  await scorer.close(); // flushes the prediction log
  await recorder.flush();
  await recorder.jobs?.run("label");
  await recorder.jobs?.run("eval");
  await progress();

  say(
    `evaluation of this run's predictions (ClickHouse, demo windows: click ${DEMO_WINDOWS.clickMs / 1000} s, cart/purchase ${DEMO_WINDOWS.cartMs / 1000} s)`,
  );
  const code = await runEval(["--since", new Date(startedAt).toISOString(), "--report-dir", args.reportDir]);
  printSpanSummary(telemetry.spanSummary(), say);

  await Promise.allSettled([ingest.stop(), recorder.stop()]);
  await admin.disconnect();
  await Promise.allSettled([producer.disconnect(), predictionProducer.disconnect()]);
  redis.disconnect();
  await warehouse.close();
  if (options.telemetry === undefined) await telemetry.shutdown();
  const s = driver.stats;
  return { code, runId, startedAt, models, eventIds: s.eventIds, requests: s.requests, requestErrors: s.requestErrors };
}
