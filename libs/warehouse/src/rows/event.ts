import { FieldProblem, epochMs, id, oneOf, optionalId, optionalPosition, parseObject } from "./fields.js";
import { rejectedRow, type KafkaCoordinates, type Mapped } from "./kafka.js";

export const EVENT_TYPES = ["click", "fav", "cart", "purchase", "exposure"] as const;
export const EVENT_SOURCES = ["server", "device"] as const;

/** A row of `events` (MATERIALIZED columns are computed by ClickHouse). */
export interface EventRow {
  readonly event_id: string;
  readonly user_id: string;
  readonly item_id: string;
  readonly category_id: string;
  readonly brand_id: string;
  readonly shop_id: string;
  readonly price: number | null;
  readonly type: (typeof EVENT_TYPES)[number];
  readonly ts: number;
  readonly source: (typeof EVENT_SOURCES)[number];
  readonly request_id: string;
  readonly position: number | null;
  readonly schema_version: number;
  readonly kafka_partition: number;
  readonly kafka_offset: string;
}

/**
 * Maps a `behavior-events` message to a row, or to a rejected row naming the field and the
 * problem. Never throws: the recorder records what ingest would send to the DLQ.
 */
export function toEventRow(value: Buffer | string | null, at: KafkaCoordinates): Mapped<EventRow> {
  try {
    const o = parseObject(value);
    const price = o.price;
    if (price !== undefined && price !== null && (typeof price !== "number" || !Number.isFinite(price) || price < 0)) {
      throw new FieldProblem("price", "must be a non-negative number");
    }
    const schema = o.schema;
    if (schema !== 1) throw new FieldProblem("schema", "must be 1");
    const requestId = o.request_id;
    if (requestId !== undefined && requestId !== null && typeof requestId !== "string") {
      throw new FieldProblem("request_id", "must be a string");
    }
    return {
      ok: true,
      row: {
        event_id: id(o, "event_id"),
        user_id: id(o, "user_id"),
        item_id: id(o, "item_id"),
        category_id: id(o, "category_id"),
        brand_id: optionalId(o, "brand_id"),
        shop_id: optionalId(o, "shop_id"),
        price: typeof price === "number" ? price : null,
        type: oneOf(o, "type", EVENT_TYPES),
        ts: epochMs(o, "ts"),
        source: oneOf(o, "source", EVENT_SOURCES),
        request_id: typeof requestId === "string" ? requestId : "",
        position: optionalPosition(o, "position"),
        schema_version: schema,
        kafka_partition: at.partition,
        kafka_offset: at.offset,
      },
    };
  } catch (e) {
    if (!(e instanceof FieldProblem)) throw e;
    return { ok: false, rejected: rejectedRow(at, value, e.field, e.reason) };
  }
}
