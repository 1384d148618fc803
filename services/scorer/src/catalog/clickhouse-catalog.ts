import type { ItemCatalog } from "./catalog.js";

export interface ClickHouseCatalogSource {
  /** ClickHouse HTTP URL, e.g. http://127.0.0.1:8123. */
  readonly url: string;
  /** Database (validated by libs/config: `^[A-Za-z_][A-Za-z0-9_]{0,63}$`). */
  readonly database: string;
  readonly user?: string;
  readonly password?: string;
  /** Table of behaviour events. Default "events". */
  readonly table?: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Fills the catalog with each item's latest category and brand seen in the events table (the
 * warm start before the items topic catches up, or where no items topic exists). Streams
 * JSONEachRow over HTTP; SQL that ClickHouse 18.16 accepts. Returns the number of items loaded.
 */
export async function loadCatalogFromClickHouse(
  source: ClickHouseCatalogSource,
  catalog: ItemCatalog,
): Promise<number> {
  const table = source.table ?? "events";
  if (!IDENT.test(source.database) || !IDENT.test(table))
    throw new Error(`invalid identifier ${source.database}.${table}`);
  const sql =
    `SELECT item_id, argMax(category_id, ts) AS category_id, argMax(brand_id, ts) AS brand_id ` +
    `FROM ${source.database}.${table} GROUP BY item_id FORMAT JSONEachRow`;
  const headers: Record<string, string> = { "X-ClickHouse-User": source.user ?? "default" };
  if (source.password) headers["X-ClickHouse-Key"] = source.password;
  const res = await fetch(source.url, { method: "POST", headers, body: sql });
  if (!res.ok || res.body === null)
    throw new Error(`ClickHouse catalog query failed: ${res.status} ${await res.text()}`);
  const decoder = new TextDecoder();
  let rest = "";
  let n = 0;
  const apply = (line: string) => {
    if (line.trim() === "") return;
    const row = JSON.parse(line) as { item_id: string; category_id: string; brand_id: string };
    // brand_id '' is the events table's "absent".
    catalog.set(
      row.item_id,
      row.brand_id === "" ? { categoryId: row.category_id } : { categoryId: row.category_id, brandId: row.brand_id },
    );
    n++;
  };
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const text = rest + decoder.decode(chunk, { stream: true });
    const lines = text.split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) apply(line);
  }
  apply(rest + decoder.decode());
  return n;
}
