import { validateEvent, type ParseResult } from "@seqlane/events";
import { qualified, rowToEvent, sql, type Sql, type Warehouse } from "@seqlane/warehouse";

/**
 * The recorded events in Kafka partition/offset order, which is each user's stream order
 * (events are keyed by user), streamed so that a large table does not sit in memory. Each row
 * goes through the same validation as a Kafka message (the stored row back to the wire form by
 * libs/warehouse's one mapping, rowToEvent).
 *
 * No FINAL: a batch the recorder delivered twice shows up twice at the same offsets, and
 * apply()'s dedup drops the second copy exactly as the consumer did. Caveat: a producer-side
 * duplicate (same event_id at two offsets) keeps only one of its two positions once ClickHouse
 * has merged the parts, so for that event alone the lateness decision can differ from the
 * stream's.
 */
export async function* clickhouseEvents(
  wh: Warehouse,
  opts: {
    /** Only the events of these users: a subquery of user_id (each user's stream is whole either way). */
    readonly users?: Sql;
  } = {},
): AsyncGenerator<ParseResult> {
  const where = opts.users === undefined ? sql`` : sql`WHERE user_id IN (${opts.users})`;
  const q = sql`SELECT event_id, user_id, item_id, category_id, brand_id, shop_id, price, toString(type) AS type, ts,
      toString(source) AS source, request_id, position, schema_version
    FROM ${qualified(wh.database, "events")}
    ${where}
    ORDER BY kafka_partition, kafka_offset`;
  for await (const row of wh.stream<Parameters<typeof rowToEvent>[0]>(q)) yield validateEvent(rowToEvent(row));
}
