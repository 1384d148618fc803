/**
 * A private single-node KRaft broker for outage tests, so that they may kill -9 and restart it
 * without touching the shared stack's broker that other suites use. It runs from the stack's
 * jars with the stack's own scripts (infra/local/lib.sh and kafka.sh render the config, format
 * the storage and give the JVM flags), in a temp state dir on two free ports. The broker is a
 * child of this process (`exec` from bash), so a kill is seen at once and the zombie is reaped.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, symlinkSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel } from "kafkajs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Jars of the shared stack (read only). */
const LIBS = process.env.SEQLANE_TEST_KAFKA_LIBS ?? join(ROOT, ".stack/kafka/libs");

export interface PrivateKafka {
  /** `127.0.0.1:<port>`. */
  readonly broker: string;
  /** Starts the broker (again) on the same data and resolves once it answers metadata requests. */
  start(timeoutMs?: number): Promise<void>;
  /** Spawns the broker without waiting (the caller times the return itself). */
  spawn(): void;
  /** Resolves at the first moment a fresh client gets metadata; returns that time (epoch ms). */
  answers(timeoutMs?: number): Promise<number>;
  /** SIGKILL, no clean shutdown; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Kills the broker if running and deletes its state dir. Safe to call twice. */
  close(): Promise<void>;
  readonly logFile: string;
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Sources the stack's scripts for their config rendering, storage format and JVM flags, then
// becomes the broker (exec), so that the child's pid is the JVM's.
const SCRIPT = `
set -euo pipefail
source "$SEQLANE_ROOT_DIR/infra/local/lib.sh"
source "$SEQLANE_ROOT_DIR/infra/local/kafka.sh"
mkdir -p "$KAFKA_HOME" "$KAFKA_LOGDIR"
render "$KAFKA_SRC/server.properties.template" "$KAFKA_HOME/server.properties"
kafka_format
kafka_jvm_args
exec "\${KAFKA_JVM[@]}" kafka.Kafka "$KAFKA_HOME/server.properties"
`;

export async function createPrivateKafka(): Promise<PrivateKafka> {
  if (!existsSync(join(LIBS, ".pom-sha")))
    throw new Error(`no Kafka jars in ${LIBS}: run npm run stack:up once (or set SEQLANE_TEST_KAFKA_LIBS)`);
  const port = await freePort();
  let controller = await freePort();
  while (controller === port) controller = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "seqlane-kafka-"));
  mkdirSync(join(dir, "kafka"), { recursive: true });
  symlinkSync(LIBS, join(dir, "kafka/libs"));
  const logFile = join(dir, "broker.out");
  const broker = `127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const env = {
    ...process.env,
    SEQLANE_ROOT_DIR: ROOT,
    SEQLANE_STACK_DIR: dir,
    SEQLANE_STACK_KAFKA_PORT: String(port),
    SEQLANE_STACK_KAFKA_CONTROLLER_PORT: String(controller),
    // Same heap as the shared stack; two brokers fit in this box's memory.
    SEQLANE_STACK_KAFKA_HEAP: process.env.SEQLANE_STACK_KAFKA_HEAP ?? "-Xms128m -Xmx512m",
  };

  function spawnBroker(): void {
    if (child !== undefined) throw new Error("private broker already running");
    const out = openSync(logFile, "a");
    const c = spawn("bash", ["-c", SCRIPT], { env, stdio: ["ignore", out, out] });
    closeSync(out);
    child = c;
    exited = new Promise((resolve) =>
      c.once("exit", () => {
        if (child === c) child = undefined;
        resolve();
      }),
    );
  }

  async function answers(timeoutMs = 90_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    // A fresh client each try: no cached connections or metadata, no retries of its own.
    for (;;) {
      if (child === undefined) throw new Error(`private broker exited during start-up; see ${logFile}`);
      const admin = new Kafka({
        clientId: "private-kafka-probe",
        brokers: [broker],
        logLevel: logLevel.NOTHING,
        connectionTimeout: 500,
        requestTimeout: 1000,
        retry: { retries: 0 },
      }).admin();
      try {
        await admin.connect();
        await admin.listTopics();
        return Date.now();
      } catch {
        if (Date.now() > deadline) throw new Error(`private broker ${broker} did not answer in ${timeoutMs} ms`);
        await sleep(100);
      } finally {
        await admin.disconnect().catch(() => {});
      }
    }
  }

  async function kill(): Promise<void> {
    child?.kill("SIGKILL");
    await exited;
  }

  const onExit = (): void => void child?.kill("SIGKILL");
  process.once("exit", onExit);

  return {
    broker,
    logFile,
    spawn: spawnBroker,
    answers,
    async start(timeoutMs) {
      spawnBroker();
      await answers(timeoutMs);
    },
    kill,
    async close() {
      await kill();
      process.off("exit", onExit);
      // SEQLANE_TEST_KAFKA_KEEP=1 keeps the broker's logs and data for a post-mortem.
      if (process.env.SEQLANE_TEST_KAFKA_KEEP === "1") console.log(`private broker state kept in ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}
