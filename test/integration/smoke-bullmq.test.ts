import { randomUUID } from "node:crypto";
import { Queue, QueueEvents, Worker, type ConnectionOptions } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";

// Proves BullMQ works on the stack's Redis: a job is enqueued, fails once, is retried and its
// result is observed through QueueEvents.
const url = new URL(process.env.SEQLANE_REDIS_URL ?? "redis://127.0.0.1:6379");
const connection: ConnectionOptions = {
  host: url.hostname,
  port: Number(url.port || 6379),
  maxRetriesPerRequest: null,
};
const name = `smoke-bullmq-${randomUUID()}`;
const queue = new Queue(name, { connection });
const events = new QueueEvents(name, { connection });
let worker: Worker | undefined;

afterAll(async () => {
  await worker?.close();
  await events.close();
  await queue.obliterate({ force: true });
  await queue.close();
});

describe("bullmq smoke", () => {
  it("processes a job, retrying it once after a failure", async () => {
    await events.waitUntilReady();
    const attempts: number[] = [];
    worker = new Worker<{ a: number; b: number }, number>(
      name,
      async (job) => {
        attempts.push(job.attemptsMade);
        if (job.attemptsMade === 0) throw new Error("first attempt fails on purpose");
        return job.data.a + job.data.b;
      },
      { connection },
    );
    const job = await queue.add("sum", { a: 2, b: 3 }, { attempts: 2, backoff: { type: "fixed", delay: 50 } });
    const result = await job.waitUntilFinished(events, 30_000);
    expect(result).toBe(5);
    expect(attempts).toEqual([0, 1]);
    const done = await queue.getJob(job.id!);
    expect(done?.attemptsMade).toBe(2);
  });
});
