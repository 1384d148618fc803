import { randomUUID } from "node:crypto";
import { createClient, type ClickHouseClient } from "@clickhouse/client";
import { afterAll, describe, expect, it } from "vitest";
import { ANALYST_USER, analystPassword } from "./analyst-credentials.js";

// Proves @clickhouse/client works against the stack's ClickHouse (18.16 in CI): ping, DDL,
// JSONEachRow insert, select; the migration runner's table exists; the read-only analyst user
// (with its password) can read but not write; its password and limits are checked in
// clickhouse-analyst.test.ts. Query parameters ({x:Type}) are NOT used: 18.16 rejects them
// (see infra/clickhouse/README.md).
const url = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
const table = `seqlane.smoke_${randomUUID().replaceAll("-", "")}`;
const client: ClickHouseClient = createClient({ url });
const analyst: ClickHouseClient = createClient({ url, username: ANALYST_USER, password: analystPassword() });

afterAll(async () => {
  await client.command({ query: `DROP TABLE IF EXISTS ${table}` });
  await client.close();
  await analyst.close();
});

async function rows<T>(c: ClickHouseClient, query: string): Promise<T[]> {
  return (await c.query({ query, format: "JSONEachRow" })).json<T>();
}

describe("clickhouse smoke", () => {
  it("answers ping", async () => {
    expect((await client.ping()).success).toBe(true);
  });

  it("creates a table, inserts JSONEachRow and selects it back", async () => {
    await client.command({
      query: `CREATE TABLE ${table} (user_id String, item_id UInt64, ts DateTime, score Float32)
              ENGINE = MergeTree ORDER BY (user_id, ts)`,
    });
    const values = [
      { user_id: "u1", item_id: 11, ts: "2026-01-01 00:00:00", score: 0.25 },
      { user_id: "u2", item_id: 22, ts: "2026-01-01 00:00:01", score: 0.5 },
    ];
    await client.insert({ table, values, format: "JSONEachRow" });
    const back = await rows<{ user_id: string; item_id: string; ts: string; score: number }>(
      client,
      `SELECT user_id, item_id, ts, score FROM ${table} ORDER BY user_id`,
    );
    // UInt64 comes back as a string in JSON formats (output_format_json_quote_64bit_integers).
    expect(back).toEqual(values.map((v) => ({ ...v, item_id: String(v.item_id) })));
  });

  it("has the migrations table", async () => {
    const cols = await rows<{ name: string; type: string }>(
      client,
      "SELECT name, type FROM system.columns WHERE database = 'seqlane' AND table = 'schema_migrations' ORDER BY name",
    );
    expect(cols).toEqual([
      { name: "applied_at", type: "DateTime" },
      { name: "checksum", type: "String" },
      { name: "name", type: "String" },
      { name: "version", type: "UInt32" },
    ]);
  });

  it("lets seqlane_analyst select but not insert or create", async () => {
    const n = await rows<{ n: string }>(analyst, `SELECT count() AS n FROM ${table}`);
    expect(n).toEqual([{ n: "2" }]);
    await expect(
      analyst.insert({
        table,
        values: [{ user_id: "u3", item_id: 33, ts: "2026-01-01 00:00:02", score: 1 }],
        format: "JSONEachRow",
      }),
    ).rejects.toThrow(/readonly/i);
    await expect(analyst.command({ query: `CREATE TABLE ${table}_ro (a UInt8) ENGINE = Memory` })).rejects.toThrow(
      /readonly/i,
    );
    await expect(analyst.command({ query: `DROP TABLE ${table}` })).rejects.toThrow(/readonly/i);
  });
});
