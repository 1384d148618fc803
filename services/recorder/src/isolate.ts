import { WarehouseError, type Warehouse } from "@seqlane/warehouse";
import type { RejectedRow } from "@seqlane/warehouse";

/** A row ClickHouse refused on its own, with ClickHouse's reason. */
export interface RefusedRow {
  readonly row: object;
  readonly reason: string;
}

/** True for an insert ClickHouse answered and refused (the data is at fault, not the connection). */
export function refusedByServer(e: unknown): boolean {
  return e instanceof WarehouseError && !e.retriable;
}

/**
 * Inserts `rows`; when ClickHouse refuses the insert for its data, halves the batch until the
 * rows it refuses are alone, inserts every other row, and returns the refused ones with
 * ClickHouse's reason (at most ~2 log2(n) inserts per bad row). A retriable failure (ClickHouse
 * down, overloaded) is thrown as it is: the caller retries or parks the whole batch.
 */
export async function insertIsolating(wh: Warehouse, table: string, rows: readonly object[]): Promise<RefusedRow[]> {
  if (rows.length === 0) return [];
  try {
    await wh.insert(table, rows);
    return [];
  } catch (e) {
    if (!refusedByServer(e)) throw e;
    if (rows.length === 1) return [{ row: rows[0]!, reason: serverReason(e) }];
    const mid = Math.floor(rows.length / 2);
    const left = await insertIsolating(wh, table, rows.slice(0, mid));
    const right = await insertIsolating(wh, table, rows.slice(mid));
    return [...left, ...right];
  }
}

/** ClickHouse's own message, without the client's wrapping, bounded. */
function serverReason(e: unknown): string {
  let cur: unknown = e;
  while (cur instanceof Error && cur.cause instanceof Error) cur = cur.cause;
  const msg = cur instanceof Error ? cur.message : String(cur);
  return msg.replace(/\s+/g, " ").trim().slice(0, 1000);
}

/**
 * The events_rejected row of a row ClickHouse refused: its Kafka coordinates (every row of
 * events and predictions carries them), the row as JSON for a payload, field `$`.
 */
export function refusedToRejected(topic: string, r: RefusedRow): RejectedRow {
  const o = r.row as { kafka_partition?: number; kafka_offset?: string };
  let payload: string;
  try {
    payload = JSON.stringify(r.row).replace(/[\uD800-\uDFFF]/gu, "\uFFFD");
  } catch {
    payload = "";
  }
  return {
    topic,
    kafka_partition: o.kafka_partition ?? 0,
    kafka_offset: o.kafka_offset ?? "0",
    kafka_ts: "0",
    kafka_key: "",
    payload,
    field: "$",
    reason: `clickhouse_refused: ${r.reason}`,
  };
}
