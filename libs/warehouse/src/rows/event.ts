import { FieldProblem, epochMs, id, oneOf, optionalId, optionalPosition, parseObject, type Json } from "./fields.js";
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

function price(o: Json): number | null {
  const v = o.price;
  if (v === undefined || v === null) return null;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
    throw new FieldProblem("price", "must be a non-negative number");
  return v;
}

function requestId(o: Json): string {
  const v = o.request_id;
  if (v === undefined || v === null) return "";
  if (typeof v !== "string" || v.length > 256)
    throw new FieldProblem("request_id", "must be a string of at most 256 characters");
  return v;
}

function schema(o: Json): number {
  if (o.schema !== 1) throw new FieldProblem("schema", "must be 1");
  return 1;
}

/**
 * Maps a `behavior-events` message to a row, or to a rejected row naming the field and the
 * problem. Never throws: the recorder records what ingest would send to the DLQ.
 */
export function toEventRow(value: Buffer | string | null, at: KafkaCoordinates): Mapped<EventRow> {
  try {
    const o = parseObject(value);
    return {
      ok: true,
      row: {
        event_id: id(o, "event_id"),
        user_id: id(o, "user_id"),
        item_id: id(o, "item_id"),
        category_id: id(o, "category_id"),
        brand_id: optionalId(o, "brand_id"),
        shop_id: optionalId(o, "shop_id"),
        price: price(o),
        type: oneOf(o, "type", EVENT_TYPES),
        ts: epochMs(o, "ts"),
        source: oneOf(o, "source", EVENT_SOURCES),
        request_id: requestId(o),
        position: optionalPosition(o, "position"),
        schema_version: schema(o),
        kafka_partition: at.partition,
        kafka_offset: at.offset,
      },
    };
  } catch (e) {
    if (!(e instanceof FieldProblem)) throw e;
    return { ok: false, rejected: rejectedRow(at, value, e.field, e.reason) };
  }
}
