/**
 * decide(model) on the local ClickHouse: seeded labelled impressions of a serving version and a
 * canary, the declared rule, routing.json replaced (promote, rollback) or left alone (wait), and
 * every decision in model_decisions; changes by hand are recorded the same way; the repeatable
 * decide job retries a ClickHouse failure and fails at once on what retrying cannot fix.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { RoutingConflictError, routingPath, writeRouting } from "@seqlane/models";
import {
  QueryError,
  createWarehouse,
  ident,
  lit,
  migrate,
  qualified,
  sql,
  type CanaryRule,
  type Warehouse,
} from "@seqlane/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeRouting, decide, DecideJobs, type DecideBase, type Decision } from "../../src/index.js";

const CH = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
const REDIS_URL = process.env.SEQLANE_REDIS_URL ?? "redis://127.0.0.1:6379";
const MIGRATIONS = fileURLToPath(new URL("../../../../infra/clickhouse", import.meta.url));
const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
const HOUR = 3_600_000;
const START = Date.now() - 6 * HOUR;
const rule: CanaryRule = {
  minLabelled: 500,
  aucMargin: 0.01,
  loglossMargin: 0.02,
  calibrationMin: 0.8,
  calibrationMax: 1.25,
};

/** mulberry32: seeded, the same rows on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Labelled impressions of one arm: `users` users with 5 each, clicked with probability p; the
 * version's score is p blurred by `noise` (0: the truth; 1: nearly unrelated to it), kept calibrated.
 */
function arm(model: string, version: string, users: number, noise: number, seed: number, ts0 = START) {
  const r = rng(seed);
  const rows = [];
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < 5; i++) {
      const p = 0.05 + 0.5 * r();
      const ts = ts0 + Math.floor(r() * 4 * HOUR);
      rows.push({
        model,
        version,
        pred_date: new Date(ts).toISOString().slice(0, 10),
        request_id: `r-${model}-${version}-${ts0}-${u}-${i}`,
        item_id: `i${i}`,
        user_id: `${model}-${version}-u${u}`,
        ts,
        ctr: Math.round(((1 - noise) * p + noise * (0.05 + 0.5 * r())) * 1000) / 1000,
        cvr: null,
        position: null,
        exposed: 1,
        click: r() < p ? 1 : 0,
        cart: 0,
        purchase: 0,
        click_delay_ms: null,
        cart_delay_ms: null,
        purchase_delay_ms: null,
        matched_by: "request",
        labelled_at: "2026-11-25 00:00:00",
      });
    }
  }
  return rows;
}

let wh: Warehouse;
let registry: string;
let base: DecideBase;
const database = `t_decide_${tag}`;

async function publishStub(model: string, version: string): Promise<void> {
  await mkdir(join(registry, model, version), { recursive: true });
  await writeFile(join(registry, model, version, "manifest.json"), "{}");
}

async function canary(model: string, serving: string, version: string): Promise<void> {
  await writeRouting(registry, model, {
    schema: 1,
    serving,
    canary: { version, share: 0.5, started_at: START },
    shadow: ["9"],
  });
}

const decisions = (model: string) =>
  wh.query<{
    action: string;
    decided_by: string;
    applied: number;
    reason: string;
    auc_diff: number | null;
    canary_samples: string;
    rule: string;
  }>(
    sql`SELECT action, decided_by, applied, reason, auc_diff, canary_samples, rule FROM ${qualified(database, "model_decisions")}
        WHERE model = ${lit(model)} ORDER BY decided_ms`,
  );

beforeAll(async () => {
  wh = createWarehouse({ url: CH, database });
  await migrate(wh, { dir: MIGRATIONS });
  registry = await mkdtemp(join(tmpdir(), "seqlane-decide-"));
  base = { warehouse: wh, registry, rule, maxRows: 100_000, by: "job" };
  await wh.insert("outcomes", [
    ...arm("better", "3", 300, 0.9, 1),
    ...arm("better", "4", 300, 0.05, 2),
    ...arm("worse", "3", 300, 0.05, 3),
    ...arm("worse", "4", 300, 0.95, 4),
    ...arm("few", "3", 300, 0.5, 5),
    ...arm("few", "4", 40, 0.5, 6),
    // Before the canary started: outside its window, must not count.
    ...arm("few", "4", 300, 0.5, 7, START - 12 * HOUR),
  ]);
  for (const m of ["better", "worse", "few", "hand"]) for (const v of ["3", "4"]) await publishStub(m, v);
});

afterAll(async () => {
  await wh?.command(sql`DROP DATABASE IF EXISTS ${ident(database)}`).catch(() => undefined);
  await wh?.close();
  if (registry) await rm(registry, { recursive: true, force: true });
});

const routing = async (model: string) => JSON.parse(await readFile(routingPath(registry, model), "utf8"));

describe("decide(model) on seeded ClickHouse predictions and outcomes", () => {
  it("promotes a clearly better canary: routing.json serves it, the decision is recorded with its figures", async () => {
    await canary("better", "3", "4");
    const d = await decide({ ...base, model: "better" });
    expect(d.action).toBe("promote");
    expect(d.figures!.low!).toBeGreaterThan(0);
    const r = await routing("better");
    expect(r).toMatchObject({ schema: 1, serving: "4", shadow: ["9"], updated_by: "job" });
    expect(r.canary).toBeUndefined();
    const rows = await decisions("better");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "promote", decided_by: "job", applied: 1, canary_samples: "1500" });
    expect(rows[0]!.auc_diff).toBeCloseTo(d.figures!.diff!, 9);
    expect(JSON.parse(rows[0]!.rule)).toEqual(rule);
    // No canary any more: nothing to decide, nothing recorded.
    expect((await decide({ ...base, model: "better" })).action).toBeUndefined();
    expect(await decisions("better")).toHaveLength(1);
  });

  it("rolls back a clearly worse canary", async () => {
    await canary("worse", "3", "4");
    const d = await decide({ ...base, model: "worse" });
    expect(d.action).toBe("rollback");
    expect(d.figures!.high!).toBeLessThan(0);
    const r = await routing("worse");
    expect(r.serving).toBe("3");
    expect(r.canary).toBeUndefined();
    expect((await decisions("worse")).map((x) => [x.action, x.applied])).toEqual([["rollback", 1]]);
  });

  it("waits with too few labelled impressions (only the canary's window counts), and records the wait", async () => {
    await canary("few", "3", "4");
    const before = await readFile(routingPath(registry, "few"), "utf8");
    const d: Decision = await decide({ ...base, model: "few" });
    expect(d.action).toBe("wait");
    expect(d.figures!.canary.samples).toBe(200);
    expect(d.reason).toMatch(/canary 4 200; each arm needs 500/);
    expect(await readFile(routingPath(registry, "few"), "utf8")).toBe(before);
    expect((await decisions("few")).map((x) => [x.action, x.applied])).toEqual([["wait", 0]]);
  });
});

describe("changes by hand", () => {
  it("canary, then rollback, each recorded by the cli user; unknown versions are refused", async () => {
    const hand = { ...base, by: "cli:tester" };
    const c = await changeRouting(hand, "hand", { kind: "canary", version: "4", share: 0.25 });
    expect(c.routing).toMatchObject({ serving: "3", canary: { version: "4", share: 0.25 } });
    await expect(changeRouting(hand, "hand", { kind: "promote", version: "7" })).rejects.toThrow(/has no version 7/);
    await changeRouting(hand, "hand", { kind: "rollback" });
    expect((await routing("hand")).canary).toBeUndefined();
    await expect(changeRouting(hand, "hand", { kind: "rollback" })).rejects.toThrow(/no canary to roll back/);
    const rows = await decisions("hand");
    expect(rows.map((x) => [x.action, x.decided_by])).toEqual([
      ["canary", "cli:tester"],
      ["rollback", "cli:tester"],
    ]);
  });
});

describe("the repeatable decide job", () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    const keys = await redis.keys(`t:${tag}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  async function until(cond: () => boolean, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  }

  it("decides each model with a canary, retries a ClickHouse failure, fails a conflict once", async () => {
    const dir = await mkdtemp(join(tmpdir(), "seqlane-decide-job-"));
    for (const m of ["a", "b", "c"]) await mkdir(join(dir, m));
    await writeRouting(dir, "a", { schema: 1, serving: "1", canary: { version: "2", share: 0.1, started_at: 1 } });
    await writeRouting(dir, "b", { schema: 1, serving: "1", canary: { version: "2", share: 0.1, started_at: 1 } });
    await writeRouting(dir, "c", { schema: 1, serving: "1" }); // no canary: not decided
    const calls: string[] = [];
    const done: string[] = [];
    const failed: [string, boolean][] = [];
    const jobs = new DecideJobs({
      connection: redis,
      prefix: `t:${tag}:bull`,
      everyMs: 60_000,
      attempts: 3,
      backoffMs: 10,
      base: { ...base, registry: dir },
      decide: async (o) => {
        calls.push(o.model);
        if (o.model === "a" && calls.filter((m) => m === "a").length === 1)
          throw new QueryError("SELECT 1", { retriable: true, cause: new Error("ECONNREFUSED") });
        if (o.model === "b") throw new RoutingConflictError("b/routing.json");
        return { model: o.model, action: "wait", reason: "fake" } as Decision;
      },
      onDone: (m) => done.push(m),
      onFailed: (m, _e, again) => failed.push([m, again]),
    });
    await jobs.start();
    await until(() => done.length >= 1 && failed.length >= 2);
    await new Promise((r) => setTimeout(r, 300)); // a retry of b would come after 10 ms
    await jobs.close();
    await rm(dir, { recursive: true, force: true });
    expect(calls.sort()).toEqual(["a", "a", "b"]);
    expect(done).toEqual(["a"]);
    expect(failed.sort()).toEqual([
      ["a", true],
      ["b", false],
    ]);
  });
});
