/** Where a message came from; stored with each row so analysts can trace it back. */
export interface KafkaCoordinates {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are int64 strings in kafkajs. */
  readonly offset: string;
  /** Message timestamp, epoch ms (string in kafkajs). */
  readonly timestamp: string;
  readonly key: Buffer | string | null;
}

/** A row of `events_rejected`. */
export interface RejectedRow {
  readonly topic: string;
  readonly kafka_partition: number;
  readonly kafka_offset: string;
  readonly kafka_ts: string;
  readonly kafka_key: string;
  readonly payload: string;
  readonly field: string;
  readonly reason: string;
}

/**
 * A message mapped to a row (of the topic's table, or of `table` when the message says where it
 * belongs), or to a rejected row.
 */
export type Mapped<R> =
  | { readonly ok: true; readonly row: R; readonly table?: string }
  | { readonly ok: false; readonly rejected: RejectedRow };

export function rejectedRow(
  at: KafkaCoordinates,
  value: Buffer | string | null,
  field: string,
  reason: string,
): RejectedRow {
  const text = (b: Buffer | string | null): string =>
    b === null ? "" : typeof b === "string" ? b : b.toString("utf8");
  return {
    topic: at.topic,
    kafka_partition: at.partition,
    kafka_offset: at.offset,
    kafka_ts: /^\d+$/.test(at.timestamp) ? at.timestamp : "0",
    kafka_key: text(at.key),
    payload: text(value),
    field,
    reason,
  };
}
