import { validateEvent, type ParseResult } from "@seqlane/events";
import { qualified, sql, type Warehouse } from "@seqlane/warehouse";

interface EventRow {
  readonly event_id: string;
  readonly user_id: string;
  readonly item_id: string;
  readonly category_id: string;
  readonly brand_id: string;
  readonly shop_id: string;
  readonly price: number | null;
  readonly type: string;
  readonly ts: string | number;
  readonly source: string;
  readonly request_id: string;
  readonly position: number | null;
  readonly schema_version: number;
}

/** A stored row back to the event contract (empty strings and NULLs were absent fields). */
function toEvent(r: EventRow): Record<string, unknown> {
  return {
    schema: r.schema_version,
    event_id: r.event_id,
    user_id: r.user_id,
    item_id: r.item_id,
    category_id: r.category_id,
    ...(r.brand_id === "" ? {} : { brand_id: r.brand_id }),
    ...(r.shop_id === "" ? {} : { shop_id: r.shop_id }),
    ...(r.price === null ? {} : { price: r.price }),
    type: r.type,
    ts: Number(r.ts),
    source: r.source,
    ...(r.request_id === "" ? {} : { request_id: r.request_id }),
    ...(r.position === null ? {} : { position: r.position }),
  };
}

/**
 * The recorded events in Kafka partition/offset order, which is each user's stream order
 * (events are keyed by user), streamed so that a large table does not sit in memory. Each row
 * goes through the same validation as a Kafka message.
 *
 * No FINAL: a batch the recorder delivered twice shows up twice at the same offsets, and
 * apply()'s dedup drops the second copy exactly as the consumer did. Caveat: a producer-side
 * duplicate (same event_id at two offsets) keeps only one of its two positions once ClickHouse
 * has merged the parts, so for that event alone the lateness decision can differ from the
 * stream's.
 */
export async function* clickhouseEvents(wh: Warehouse): AsyncGenerator<ParseResult> {
  const q = sql`SELECT event_id, user_id, item_id, category_id, brand_id, shop_id, price, toString(type) AS type, ts,
      toString(source) AS source, request_id, position, schema_version
    FROM ${qualified(wh.database, "events")}
    ORDER BY kafka_partition, kafka_offset`;
  const rs = await wh.client.query({ query: q.text, format: "JSONEachRow" });
  for await (const rows of rs.stream()) {
    for (const row of rows) yield validateEvent(toEvent(row.json<EventRow>()));
  }
}
