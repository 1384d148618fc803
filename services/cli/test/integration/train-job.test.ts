/**
 * The repeatable `train` job (TrainJobs) on the local Redis: it runs each configured model on
 * schedule through the same training function as `seqlane train`, BullMQ retries a run that
 * failed for a passing reason, and a run that cannot pass by retrying fails once.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { DEFAULT_SPEC } from "@seqlane/sequences";
import { createWarehouse, type Warehouse } from "@seqlane/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TooFewLabelledError, TrainError, VenvMissingError } from "../../src/train/errors.js";
import { TrainJobs, type TrainBase } from "../../src/train/job.js";
import type { TrainOptions, TrainResult } from "../../src/train/train-model.js";

const REDIS_URL = process.env.SEQLANE_REDIS_URL ?? "redis://127.0.0.1:6379";
const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let redis: Redis;
let wh: Warehouse;
let n = 0;

const base = (): TrainBase => ({
  warehouse: wh,
  registry: mkdtempSync(join(tmpdir(), "train-job-")),
  minLabelled: 10,
  python: join(tmpdir(), `no-venv-${tag}`, "python"),
  fitArgs: ["--epochs", "1"],
  spec: DEFAULT_SPEC,
  allowedLatenessMs: 3_600_000,
});

function jobs(train: TrainJobsTrain, extra: { models?: string[]; attempts?: number } = {}) {
  const done: { model: string; result: TrainResult }[] = [];
  const failed: { model: string; error: Error; willRetry: boolean }[] = [];
  const j = new TrainJobs({
    connection: redis,
    prefix: `t:${tag}:${n++}:bull`,
    models: extra.models ?? ["pooling"],
    everyMs: 60_000,
    sinceMs: 3_600_000,
    attempts: extra.attempts ?? 3,
    backoffMs: 10,
    base: base(),
    train,
    onDone: (model, result) => done.push({ model, result }),
    onFailed: (model, error, willRetry) => failed.push({ model, error, willRetry }),
  });
  return { j, done, failed };
}
type TrainJobsTrain = (o: TrainOptions) => Promise<TrainResult>;

async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(50);
}

const fakeResult = (o: TrainOptions): TrainResult =>
  ({ model: o.model, version: "1", dir: join(o.registry, o.model, "1") }) as TrainResult;

beforeAll(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  wh = createWarehouse({ database: "seqlane" }); // never queried: the fakes do not train
});

afterAll(async () => {
  const keys = await redis.keys(`t:${tag}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await wh.close();
});

describe("the repeatable train job", () => {
  it("runs each model on schedule with the configured options and logs the result", async () => {
    const calls: TrainOptions[] = [];
    const { j, done } = jobs(
      async (o) => {
        calls.push(o);
        return fakeResult(o);
      },
      { models: ["pooling", "din"] },
    );
    const t = Date.now();
    await j.start();
    await until(() => done.length >= 2);
    await j.close();
    expect(done.map((d) => d.model).sort()).toEqual(["din", "pooling"]);
    expect(done.find((d) => d.model === "din")?.result.version).toBe("1");
    const c = calls.find((o) => o.model === "pooling")!;
    expect(c.toMs - c.fromMs).toBe(3_600_000);
    expect(c.toMs).toBeGreaterThanOrEqual(t);
    expect([c.minLabelled, c.fitArgs]).toEqual([10, ["--epochs", "1"]]);
    expect(c.version).toBeUndefined(); // the registry's next integer version
    expect((await j.queue.getJobSchedulers()).map((s) => s.key).sort()).toEqual(["train:din", "train:pooling"]);
  });

  it("retries a run that failed for a passing reason", async () => {
    let calls = 0;
    const { j, done, failed } = jobs(async (o) => {
      if (++calls === 1) throw new TrainError("query", "ClickHouse unavailable", { retriable: true });
      return fakeResult(o);
    });
    await j.start();
    await until(() => done.length >= 1);
    await j.close();
    expect(calls).toBe(2);
    expect(failed).toEqual([{ model: "pooling", error: expect.any(TrainError), willRetry: true }]);
    expect(done).toHaveLength(1);
  });

  it("fails at once, without retries, when retrying cannot help", async () => {
    let calls = 0;
    const { j, failed } = jobs(async () => {
      calls++;
      throw new TooFewLabelledError(3, 1, 10, 0, 1000);
    });
    await j.start();
    await until(() => failed.length >= 1);
    await sleep(300); // a retry would come after 10 ms
    const [job] = await j.queue.getFailed();
    await j.close();
    expect(calls).toBe(1);
    expect(failed[0]?.willRetry).toBe(false);
    expect(job?.failedReason).toMatch(/too few labelled predictions/);
    expect(job?.attemptsMade).toBe(1);
  });

  it("calls trainModel, the function behind `seqlane train`, when given no other", async () => {
    const j = new TrainJobs({
      connection: redis,
      prefix: `t:${tag}:default:bull`,
      models: ["pooling"],
      everyMs: 0,
      sinceMs: 3_600_000,
      attempts: 3,
      base: base(),
    });
    // trainModel's first check: the venv's python (absent here), so nothing else runs.
    const e: unknown = await j.process({ data: { model: "pooling" }, attemptsMade: 0 }).catch((x: unknown) => x);
    await j.close();
    expect((e as Error).name).toBe("UnrecoverableError");
    expect((e as Error).message).toBe(new VenvMissingError(base().python).message);
  });

  it("is off without models or an interval, and removes schedules left from before", async () => {
    const prefix = `t:${tag}:off:bull`;
    const on = new TrainJobs({
      connection: redis,
      prefix,
      models: ["pooling"],
      everyMs: 3_600_000,
      sinceMs: 1,
      attempts: 1,
      base: base(),
      train: async (o) => fakeResult(o),
    });
    await on.start();
    await on.close();
    const off = new TrainJobs({
      connection: redis,
      prefix,
      models: [],
      everyMs: 3_600_000,
      sinceMs: 1,
      attempts: 1,
      base: base(),
    });
    expect(off.enabled).toBe(false);
    await off.start();
    expect(await off.queue.getJobSchedulers()).toEqual([]);
    await off.close();
  });
});
