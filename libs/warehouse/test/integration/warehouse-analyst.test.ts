import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createWarehouse, ident, sql, type Warehouse } from "../../src/index.js";
import { CLICKHOUSE_URL } from "./helpers.js";

/** The stack's readonly user (infra/clickhouse/config/users.xml.template). */
const ANALYST = process.env.SEQLANE_ANALYST_USER ?? "seqlane_analyst";
/** Its password as stack:up sets it: SEQLANE_ANALYST_PASSWORD, else the file it generated. */
const PASSWORD =
  process.env.SEQLANE_ANALYST_PASSWORD ||
  readFileSync(
    process.env.SEQLANE_STACK_DIR
      ? `${process.env.SEQLANE_STACK_DIR}/clickhouse/analyst.password`
      : fileURLToPath(new URL("../../../../.stack/clickhouse/analyst.password", import.meta.url)),
    "utf8",
  ).trim();

describe("read-only analyst user", () => {
  const analyst: Warehouse = createWarehouse({
    url: CLICKHOUSE_URL,
    database: "seqlane",
    username: ANALYST,
    password: PASSWORD,
  });
  afterAll(async () => analyst.close());

  it("can query every table and view", async () => {
    for (const t of [
      "events",
      "events_rejected",
      "predictions",
      "outcomes",
      "model_eval",
      "events_dedup",
      "predictions_dedup",
      "outcomes_dedup",
      "model_eval_latest",
    ]) {
      const rows = await analyst.query<{ n: string }>(sql`SELECT count() AS n FROM ${ident(t)}`);
      expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(0);
    }
  });

  it("is refused without its password", async () => {
    const anonymous = createWarehouse({ url: CLICKHOUSE_URL, database: "seqlane", username: ANALYST });
    try {
      // 18.16: "Password required for user"; current releases: "Authentication failed".
      await expect(anonymous.query(sql`SELECT 1 AS one`)).rejects.toThrow(/Password required|Authentication failed/);
    } finally {
      await anonymous.close();
    }
  });

  it("cannot insert, create, alter, drop or change settings", async () => {
    const attempts = [
      sql`INSERT INTO model_eval (model) VALUES ('x')`,
      sql`CREATE TABLE analyst_tmp (a UInt8) ENGINE = Memory`,
      sql`ALTER TABLE events DELETE WHERE 1`,
      sql`DROP TABLE model_eval`,
      sql`TRUNCATE TABLE events`,
      sql`SET max_memory_usage = 1`,
    ];
    for (const q of attempts)
      await expect(analyst.command(q), q.text).rejects.toThrow(/readonly|Cannot|not allowed|Not enough privileges/i);
    await expect(analyst.insert("events", [{ event_id: "x" }])).rejects.toThrow();
    const [still] = await analyst.query<{ n: string }>(
      sql`SELECT count() AS n FROM system.tables WHERE database = 'seqlane' AND name = 'model_eval'`,
    );
    expect(still?.n).toBe("1");
  });
});
