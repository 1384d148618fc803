import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sql, labelInsert, writeModelEval, type Warehouse } from "../../src/index.js";
import { freshDatabase } from "./helpers.js";

const DOC = new URL("../../../../docs/analysts.md", import.meta.url);
const queries = [...readFileSync(DOC, "utf8").matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

describe("docs/analysts.md example queries run on this ClickHouse", () => {
  let db: { wh: Warehouse; drop(): Promise<void> };
  beforeAll(async () => {
    db = await freshDatabase("docs");
    const now = Date.now() - 2 * 86_400_000;
    await db.wh.insert(
      "predictions",
      Array.from({ length: 200 }, (_, i) => ({
        request_id: `r${i}`,
        user_id: `u${i % 10}`,
        item_id: `i${i % 20}`,
        model: "din",
        version: String(1 + (i % 2)),
        ctr: (i % 7) / 7,
        cvr: 0.1,
        ts: now + i * 60_000,
        position: i % 12,
        kafka_partition: 0,
        kafka_offset: String(i),
      })),
    );
    await db.wh.insert(
      "events",
      Array.from({ length: 200 }, (_, i) => ({
        event_id: `e${i}`,
        user_id: `u${i % 10}`,
        item_id: `i${i % 20}`,
        category_id: "c",
        brand_id: "",
        shop_id: "",
        price: null,
        type: i % 5 === 0 ? "purchase" : "click",
        ts: now + i * 60_000 + 30_000,
        source: "server",
        request_id: i % 2 ? `r${i}` : "",
        position: null,
        schema_version: 1,
        kafka_partition: 0,
        kafka_offset: String(i),
      })),
    );
    await db.wh.command(labelInsert({ database: db.wh.database, fromMs: now, toMs: now + 200 * 60_000 }));
    await writeModelEval(db.wh, { lookbackMs: 3 * 86_400_000 });
  });
  afterAll(async () => db?.drop());

  it("finds the ten examples", () => {
    expect(queries.length).toBeGreaterThanOrEqual(10);
  });

  it.each(queries.map((q, i) => [i + 1, q] as const))("query %i runs", async (_, q) => {
    await expect(db.wh.query(new Sql(q))).resolves.toBeInstanceOf(Array);
  });
});
