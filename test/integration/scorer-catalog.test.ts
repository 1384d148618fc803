import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ItemCatalog, loadCatalogFromClickHouse } from "@seqlane/scorer";
import { createWarehouse } from "@seqlane/warehouse";
import { rand } from "./scorer-support.js";

const URL_ = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
const db = rand("it_scorer").replace(/-/g, "_");

async function sql(q: string): Promise<string> {
  const res = await fetch(URL_, { method: "POST", body: q });
  const text = await res.text();
  if (!res.ok) throw new Error(`${q}: ${text}`);
  return text;
}

beforeAll(async () => {
  await sql(`CREATE DATABASE ${db}`);
  // The columns of seqlane.events the loader reads.
  await sql(
    `CREATE TABLE ${db}.events (item_id String, category_id String, brand_id String, ts UInt64) ENGINE = MergeTree() ORDER BY item_id`,
  );
  await sql(
    `INSERT INTO ${db}.events VALUES ('1', 'c1', '', 100), ('1', 'c2', 'b2', 200), ('sku-9', 'c9', '', 50), ('7', 'c7', 'b7', 10)`,
  );
});
afterAll(async () => {
  await sql(`DROP DATABASE IF EXISTS ${db}`);
});

describe("item catalog from ClickHouse", () => {
  it("loads each item's latest category and brand; empty brand is absent", async () => {
    const catalog = new ItemCatalog();
    const wh = createWarehouse({ url: URL_, database: db });
    const n = await loadCatalogFromClickHouse(wh, catalog);
    await wh.close();
    expect(n).toBe(3);
    expect(catalog.get(1)).toEqual({ categoryId: "c2", brandId: "b2" });
    expect(catalog.get("sku-9")).toEqual({ categoryId: "c9" });
    expect(catalog.get("7")).toEqual({ categoryId: "c7", brandId: "b7" });
  });
  it("names a bad identifier instead of building SQL with it", async () => {
    const wh = createWarehouse({ url: URL_, database: db });
    await expect(loadCatalogFromClickHouse(wh, new ItemCatalog(), "events; DROP")).rejects.toThrow(/identifier/);
    await wh.close();
  });
});
