/**
 * The recorder's BullMQ repeatable jobs on the local stack: `label` writes outcomes for
 * closed windows, `eval` writes model_eval; schedules survive a restart without doubling.
 */
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Jobs } from "@seqlane/recorder";
import { createWarehouse, ident, migrate, sql, type Warehouse } from "@seqlane/warehouse";

const CH_URL = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
const REDIS_URL = process.env.SEQLANE_REDIS_URL ?? "redis://127.0.0.1:6379";
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("repeatable label and eval jobs", () => {
  let wh: Warehouse;
  let redis: Redis;
  const opts = () => ({
    connection: redis,
    prefix: `t:${tag}:bull`,
    queueName: "recorder-jobs",
    labelEveryMs: 300,
    evalEveryMs: 500,
    windows: { clickMs: 60_000, cartMs: 60_000, purchaseMs: 60_000 },
    graceMs: 0,
    overlapMs: 3_600_000,
    evalLookbackMs: 86_400_000,
  });

  beforeAll(async () => {
    wh = createWarehouse({ url: CH_URL, database: `t_jobs_${tag}` });
    await migrate(wh, { dir: `${ROOT}/infra/clickhouse` });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const t = Date.now() - 10 * 60_000; // windows closed
    await wh.insert(
      "predictions",
      Array.from({ length: 40 }, (_, i) => ({
        request_id: `r${i}`,
        user_id: `u${i % 4}`,
        item_id: `i${i}`,
        model: "din",
        version: "1",
        ctr: (i % 5) / 5,
        cvr: 0.1,
        ts: t + i,
        position: i,
        kafka_partition: 0,
        kafka_offset: String(i),
      })),
    );
    await wh.insert(
      "events",
      Array.from({ length: 40 }, (_, i) => i)
        .filter((i) => i % 3 === 0)
        .map((i) => ({
          event_id: `e${i}`,
          user_id: `u${i % 4}`,
          item_id: `i${i}`,
          category_id: "c",
          brand_id: "",
          shop_id: "",
          price: null,
          type: "click",
          ts: t + i + 1000,
          source: "server",
          request_id: `r${i}`,
          position: i,
          schema_version: 1,
          kafka_partition: 0,
          kafka_offset: String(i),
        })),
    );
  });

  afterAll(async () => {
    await wh?.command(sql`DROP DATABASE IF EXISTS ${ident(wh.database)}`);
    await wh?.close();
    const keys = await redis.keys(`t:${tag}:*`);
    if (keys.length) await redis.del(...keys);
    redis?.disconnect();
  });

  it("label then eval run on schedule and write outcomes and model_eval", async () => {
    const done: string[] = [];
    const jobs = new Jobs(wh, { ...opts(), onDone: (name) => done.push(name) });
    await jobs.start();
    const deadline = Date.now() + 30_000;
    let evalRows: { auc: number | null; samples: string }[] = [];
    while (Date.now() < deadline) {
      evalRows = await wh.query(sql`SELECT auc, samples FROM model_eval_latest WHERE task = 'ctr'`);
      if (evalRows.length > 0 && Number(evalRows[0]?.samples) === 40) break;
      await sleep(300);
    }
    await jobs.close();
    expect(done).toContain("label");
    expect(done).toContain("eval");
    const [o] = await wh.query<{ n: string; clicks: string }>(
      sql`SELECT count() AS n, sum(click) AS clicks FROM outcomes FINAL`,
    );
    expect(o).toEqual({ n: "40", clicks: "14" });
    expect(evalRows.length).toBe(1);
    expect(Number(evalRows[0]?.samples)).toBe(40);

    // A restart upserts the same two schedulers.
    const again = new Jobs(wh, opts());
    await again.start();
    expect((await again.queue.getJobSchedulers()).map((s) => s.key ?? s.name).sort()).toHaveLength(2);
    await again.close();
  });
});
