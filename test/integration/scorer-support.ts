/** Shared set-up of the scorer integration suites: random topics, key prefix and registry dir. */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { Kafka, logLevel, type Admin, type Producer } from "kafkajs";
import { Redis } from "ioredis";
import { silentLogger, writeFixtureModels, type FixtureSet } from "@seqlane/models";
import { createRedisStore, type SequenceStore } from "@seqlane/sequences";
import { afterAll, beforeAll } from "vitest";
import { createScorer, kafkaPredictionSink, seedUserHistory, type Scorer, type ScorerOptions } from "@seqlane/scorer";
import { deleteByPrefix } from "./redis-cleanup.js";

export const BROKERS = (process.env.SEQLANE_KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
export const REDIS_URL = process.env.SEQLANE_REDIS_URL ?? "redis://127.0.0.1:6379";
export const rand = (prefix: string): string => `${prefix}-${randomBytes(5).toString("hex")}`;

export interface ScorerEnv {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly producer: Producer;
  readonly redis: Redis;
  readonly store: SequenceStore;
  readonly registryDir: string;
  readonly fixtures: FixtureSet;
  readonly predictionsTopic: string;
  readonly itemsTopic: string;
  /** A scorer on this env (port 0, fast polling, Kafka prediction sink); closed by `close`. */
  scorer(over?: Partial<ScorerOptions>): Promise<{ scorer: Scorer; url: string }>;
  close(): Promise<void>;
}

export async function setupScorer(): Promise<ScorerEnv> {
  const kafka = new Kafka({ clientId: rand("it-scorer"), brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const predictionsTopic = rand("it-predictions");
  const itemsTopic = rand("it-items");
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: predictionsTopic, numPartitions: 2 },
      { topic: itemsTopic, numPartitions: 1, configEntries: [{ name: "cleanup.policy", value: "compact" }] },
    ],
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `${rand("it")}:`;
  const store = createRedisStore({ redis, keyPrefix: prefix });
  const registryDir = await mkdtemp(join(tmpdir(), "seqlane-it-registry-"));
  const fixtures = await writeFixtureModels(registryDir, { seed: 31 });
  const scorers: Scorer[] = [];
  return {
    kafka,
    admin,
    producer,
    redis,
    store,
    registryDir,
    fixtures,
    predictionsTopic,
    itemsTopic,
    async scorer(over = {}) {
      const scorer = createScorer({
        port: 0,
        registryDir,
        registryPollMs: 100,
        session: { executionProviders: ["cuda", "cpu"], intraOpThreads: 1 },
        store,
        predictionSink: kafkaPredictionSink(producer, predictionsTopic),
        predictionFlushMs: 50,
        releaseGraceMs: 2000,
        logger: silentLogger,
        ...over,
      });
      scorers.push(scorer);
      return { scorer, url: await scorer.start() };
    },
    async close() {
      for (const s of scorers) await s.close().catch(() => {});
      await producer.disconnect();
      await admin.deleteTopics({ topics: [predictionsTopic, itemsTopic] }).catch(() => {});
      await admin.disconnect();
      await deleteByPrefix(redis, prefix);
      redis.disconnect();
      await rm(registryDir, { recursive: true, force: true });
    },
  };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON responses field by field
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One response read off a raw connection. */
export interface RawResponse {
  readonly status: number;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * One HTTP/1.1 connection driven by hand, for what fetch cannot send: bodies that trickle, stall,
 * grow past a limit in chunks, or stop half way. `response` settles with the first complete
 * response (undefined when the connection ended without one); `closed` when the socket is gone.
 */
export class RawConnection {
  readonly response: Promise<RawResponse | undefined>;
  readonly closed: Promise<void>;
  /** The socket error that ended the connection, e.g. ECONNRESET; undefined for a clean close. */
  error: string | undefined;
  /** Whether the server answered before the connection ended (a reset after a response is fine). */
  answered = false;
  private data = Buffer.alloc(0);

  private constructor(readonly socket: Socket) {
    let settle!: (r: RawResponse | undefined) => void;
    this.response = new Promise((r) => (settle = r));
    this.closed = new Promise((r) => socket.once("close", () => r()));
    socket.on("data", (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
      const r = this.parse();
      if (r !== undefined) {
        this.answered = true;
        settle(r);
      }
    });
    socket.on("error", (e: NodeJS.ErrnoException) => (this.error ??= e.code ?? e.message));
    socket.once("close", () => settle(undefined));
  }

  static open(url: string): Promise<RawConnection> {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(u.port), u.hostname, () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  /** Writes and waits until the bytes are handed to the OS; false when the connection is gone. */
  write(data: string | Buffer): Promise<boolean> {
    if (this.socket.destroyed || !this.socket.writable) return Promise.resolve(false);
    return new Promise((resolve) => this.socket.write(data, (e) => resolve(e == null)));
  }

  /** Writes one chunk of a `Transfer-Encoding: chunked` body (an empty one ends it). */
  writeChunk(data: Buffer): Promise<boolean> {
    return this.write(Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from("\r\n")]));
  }

  destroy(): void {
    this.socket.destroy();
  }

  private parse(): RawResponse | undefined {
    const end = this.data.indexOf("\r\n\r\n");
    if (end < 0) return undefined;
    const [statusLine, ...lines] = this.data.subarray(0, end).toString("latin1").split("\r\n");
    const headers: Record<string, string> = {};
    for (const l of lines) {
      const i = l.indexOf(":");
      headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
    }
    const length = Number(headers["content-length"] ?? "0");
    if (this.data.length < end + 4 + length) return undefined;
    const body = this.data.subarray(end + 4, end + 4 + length).toString("utf8");
    return { status: Number(statusLine!.split(" ")[1]), headers, body };
  }
}

/** Request head of a POST /v1/score; `length` undefined sends a chunked body. */
export function scoreHead(url: string, length: number | undefined, headers: Record<string, string> = {}): string {
  const u = new URL(url);
  const lines = [
    `POST /v1/score HTTP/1.1`,
    `Host: ${u.host}`,
    "Content-Type: application/json",
    length === undefined ? "Transfer-Encoding: chunked" : `Content-Length: ${length}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A redis-server of the test's own on a free port, so that freezing it leaves the shared one alone. */
export interface ThrowawayRedis {
  readonly url: string;
  /** SIGSTOP: the server keeps its connections open and answers nothing (a hung Redis). */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
  stop(): Promise<void>;
}

export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const port = await freePort();
  const proc = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => 50 });
  probe.on("error", () => {}); // refused until the server is up
  await waitFor(`redis-server on ${port}`, () =>
    probe.ping().then(
      (r) => r === "PONG",
      () => false,
    ),
  );
  probe.disconnect();
  return {
    url,
    freeze: () => void proc.kill("SIGSTOP"),
    thaw: () => void proc.kill("SIGCONT"),
    async stop() {
      proc.kill("SIGCONT");
      proc.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * A scorer env plus one user with a seeded history, set up before the file's tests and closed
 * after them (the suites that score one known user).
 */
export function withSeededUser(): { readonly env: ScorerEnv; readonly user: string } {
  const box = { env: undefined as unknown as ScorerEnv, user: "" };
  beforeAll(async () => {
    box.env = await setupScorer();
    box.user = rand("user");
    await seedUserHistory(box.env.store, box.user, { clicks: 50, mixed: 5 });
  });
  afterAll(async () => box.env?.close());
  return box;
}
