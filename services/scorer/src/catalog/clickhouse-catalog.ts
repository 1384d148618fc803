import { qualified, sql, type Warehouse } from "@seqlane/warehouse";
import type { ItemCatalog } from "./catalog.js";

/**
 * Fills the catalog with each item's latest category and brand seen in the events table (the
 * warm start before the items topic catches up, or where no items topic exists), streamed
 * through libs/warehouse; SQL that ClickHouse 18.16 accepts. Returns the number of items loaded.
 */
export async function loadCatalogFromClickHouse(
  wh: Warehouse,
  catalog: ItemCatalog,
  table = "events",
): Promise<number> {
  const q = sql`SELECT item_id, argMax(category_id, ts) AS category_id, argMax(brand_id, ts) AS brand_id
    FROM ${qualified(wh.database, table)} GROUP BY item_id`;
  let n = 0;
  for await (const row of wh.stream<{ item_id: string; category_id: string; brand_id: string }>(q)) {
    // brand_id '' is the events table's "absent".
    catalog.set(
      row.item_id,
      row.brand_id === "" ? { categoryId: row.category_id } : { categoryId: row.category_id, brandId: row.brand_id },
    );
    n++;
  }
  return n;
}
