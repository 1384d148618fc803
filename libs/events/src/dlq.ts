import type { EventValidationError } from "./errors.js";

/** Where a rejected message came from. */
export interface MessageOrigin {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset as the decimal string kafkajs uses. */
  readonly offset: string;
}

/** A dead-letter message: the original bytes as value, why and where in headers. CONTRACT. */
export interface DlqMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string | Buffer>;
}

/**
 * Builds the DLQ message for a rejected input. Headers (all strings): `dlq.reason` (the
 * RejectKind), `dlq.field`, `dlq.detail` (human text), `dlq.topic`, `dlq.partition`,
 * `dlq.offset`, `dlq.at` (epoch ms).
 */
export function dlqMessage(
  original: { key: Buffer | null; value: Buffer | null },
  error: EventValidationError,
  origin: MessageOrigin,
  now: number = Date.now(),
): DlqMessage {
  return {
    key: original.key,
    value: original.value,
    headers: {
      "dlq.reason": error.kind,
      "dlq.field": error.field,
      "dlq.detail": error.reason,
      "dlq.topic": origin.topic,
      "dlq.partition": String(origin.partition),
      "dlq.offset": origin.offset,
      "dlq.at": String(now),
    },
  };
}
