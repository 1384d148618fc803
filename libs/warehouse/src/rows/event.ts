import {
  EVENT_SOURCES,
  EVENT_TYPES,
  kafkaTime,
  parseEvent,
  type BehaviourEvent,
  type ValidateOptions,
} from "@seqlane/events";
import { rejectedRow, type KafkaCoordinates, type Mapped } from "./kafka.js";

export { EVENT_SOURCES, EVENT_TYPES };

/** Columns of `events` filled from the message's Kafka coordinates, not from the event. */
interface FromKafka {
  readonly schema_version: number;
  readonly kafka_partition: number;
  readonly kafka_offset: string;
}

/**
 * A row of `events` (MATERIALIZED columns are computed by ClickHouse): the event contract's
 * fields, with absent optional fields stored as '' (ids) or NULL (numbers), as the table has
 * them (infra/clickhouse/0001_events.sql).
 */
export type EventRow = {
  readonly [K in Exclude<keyof BehaviourEvent, "schema">]-?: NonNullable<BehaviourEvent[K]> extends string
    ? K extends "type" | "source"
      ? NonNullable<BehaviourEvent[K]>
      : string
    : NonNullable<BehaviourEvent[K]> | null;
} & FromKafka;

/** The stored row of a canonical event. */
export function eventRow(e: BehaviourEvent, at: Pick<KafkaCoordinates, "partition" | "offset">): EventRow {
  return {
    event_id: e.event_id,
    user_id: e.user_id,
    item_id: e.item_id,
    category_id: e.category_id,
    brand_id: e.brand_id ?? "",
    shop_id: e.shop_id ?? "",
    price: e.price ?? null,
    type: e.type,
    ts: e.ts,
    source: e.source,
    request_id: e.request_id ?? "",
    position: e.position ?? null,
    schema_version: e.schema,
    kafka_partition: at.partition,
    kafka_offset: at.offset,
  };
}

/** A stored row back to the event contract's wire form (empty strings and NULLs were absent fields). */
export function rowToEvent(
  r: Omit<EventRow, "kafka_partition" | "kafka_offset" | "ts"> & { ts: number | string },
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    schema: r.schema_version,
    event_id: r.event_id,
    user_id: r.user_id,
    item_id: r.item_id,
    category_id: r.category_id,
    type: r.type,
    ts: Number(r.ts),
    source: r.source,
  };
  if (r.brand_id !== "") out.brand_id = r.brand_id;
  if (r.shop_id !== "") out.shop_id = r.shop_id;
  if (r.price !== null) out.price = r.price;
  if (r.request_id !== "") out.request_id = r.request_id;
  if (r.position !== null) out.position = r.position;
  return out;
}

/**
 * Maps a `behavior-events` message to a row, or to a rejected row naming the field and the
 * problem. The decision is ingest's own (the same parseEvent of the one event contract, judged
 * against the message's Kafka timestamp), so every event ingest applies is recorded and every
 * event it dead-letters is filed in `events_rejected` with the same kind, field and reason.
 * Never throws.
 */
export function toEventRow(
  value: Buffer | string | null,
  at: KafkaCoordinates,
  opts: ValidateOptions = {},
): Mapped<EventRow> {
  const r = parseEvent(value, opts, kafkaTime(at.timestamp));
  if (r.ok) return { ok: true, row: eventRow(r.event, at) };
  return { ok: false, rejected: rejectedRow(at, value, r.error.field, `${r.error.kind}: ${r.error.reason}`) };
}
