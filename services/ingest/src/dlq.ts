import type { Producer } from "kafkajs";
import type { DlqMessage } from "@seqlane/events";

/** Bytes of dead letters per produce request (Kafka's default max.request.size is 1 MiB). */
export const DLQ_REQUEST_BYTES = 256 * 1024;

/** Splits messages into runs whose key, value and header bytes add up to at most `limit` (at least one each). */
export function chunkByBytes<M extends DlqMessage>(messages: readonly M[], limit: number): M[][] {
  const out: M[][] = [];
  let cur: M[] = [];
  let bytes = 0;
  for (const m of messages) {
    let size = 64 + (m.key?.byteLength ?? 0) + (m.value?.byteLength ?? 0);
    for (const [k, v] of Object.entries(m.headers)) size += 8 + Buffer.byteLength(k) + Buffer.byteLength(v);
    if (cur.length > 0 && bytes + size > limit) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(m);
    bytes += size;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/**
 * Sends a batch's rejected messages to the DLQ topic, acknowledged by all in-sync replicas,
 * in requests well under Kafka's request limit: thousands of small bad messages in one batch
 * would otherwise make one request the broker refuses, and the batch could never commit.
 */
export function createDlqSender(producer: () => Producer, topic: string, requestBytes = DLQ_REQUEST_BYTES) {
  return async (messages: readonly DlqMessage[]): Promise<void> => {
    for (const chunk of chunkByBytes(messages, requestBytes)) {
      await producer().send({
        topic,
        acks: -1,
        messages: chunk.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      });
    }
  };
}
