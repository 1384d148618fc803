import { SpanStatusCode } from "@opentelemetry/api";
import type { EachBatchPayload, IHeaders } from "kafkajs";
import type { DlqMessage } from "@seqlane/events";
import { BatchAbortedError } from "./errors.js";
import type { BatchResult, InputMessage } from "./process/processor.js";
import type { createInstruments } from "./telemetry.js";

/** What the handler needs of the processor (inline or on the worker thread). */
export interface BatchProcessor {
  process(topic: string, partition: number, messages: readonly InputMessage[]): Promise<BatchResult>;
}

export interface BatchInfo {
  readonly topic: string;
  readonly partition: number;
  readonly messages: number;
  readonly applied: number;
  readonly duplicate: number;
  readonly late: number;
  readonly dlq: number;
  readonly durationMs: number;
  /** Next offset to consume (the one committed). */
  readonly committed: string;
}

export interface IngestStats {
  batches: number;
  messages: number;
  applied: number;
  duplicate: number;
  late: number;
  dlq: number;
  conflicts: number;
}

export interface BatchHandlerDeps {
  readonly processor: BatchProcessor;
  readonly sendDlq: (messages: readonly DlqMessage[]) => Promise<void>;
  readonly commit: (topic: string, partition: number, offset: string) => Promise<void>;
  readonly instruments: ReturnType<typeof createInstruments>;
  readonly stats: IngestStats;
  /** Lag per partition, as of the last batch (the lag gauge reads it). */
  readonly lag: Map<number, number>;
  readonly onCommitted?: (info: BatchInfo) => void;
}

/**
 * One Kafka batch, in three steps: process (validate, apply, Redis), dead-letter what was
 * rejected, then commit the next offset. Nothing commits before Redis and the DLQ acknowledged,
 * and a partition revoked meanwhile is left to its new owner (dedup makes the redo harmless).
 */
export function createBatchHandler(d: BatchHandlerDeps) {
  return async ({ batch, resolveOffset, heartbeat, isStale }: EachBatchPayload): Promise<void> => {
    if (batch.messages.length === 0) return;
    const t0 = performance.now();
    const first = batch.messages[0]!.offset;
    const last = batch.messages[batch.messages.length - 1]!.offset;
    const span = d.instruments.tracer.startSpan("ingest.batch", {
      attributes: {
        "messaging.destination.name": batch.topic,
        "messaging.destination.partition.id": String(batch.partition),
        "messaging.batch.message_count": batch.messages.length,
      },
    });
    try {
      let r: BatchResult;
      try {
        r = await d.processor.process(batch.topic, batch.partition, batch.messages);
      } catch (e) {
        throw new BatchAbortedError(batch.topic, batch.partition, first, e);
      }
      if (r.dlq.length > 0) await d.sendDlq(withOriginalHeaders(r.dlq, batch.messages));
      if (isStale()) return;
      const next = (BigInt(last) + 1n).toString();
      await d.commit(batch.topic, batch.partition, next);
      resolveOffset(last);
      await heartbeat();
      const durationMs = performance.now() - t0;
      record(d, r, batch.partition, Number(batch.highWatermark) - Number(next), durationMs);
      span.setAttributes({ "seqlane.applied": r.applied, "seqlane.dlq": r.dlq.length, "seqlane.users": r.users });
      d.onCommitted?.({
        topic: batch.topic,
        partition: batch.partition,
        messages: r.messages,
        applied: r.applied,
        duplicate: r.duplicate,
        late: r.late,
        dlq: r.dlq.length,
        durationMs,
        committed: next,
      });
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw e;
    } finally {
      span.end();
    }
  };
}

/** Counters, metrics and lag after a committed batch. */
function record(d: BatchHandlerDeps, r: BatchResult, partition: number, lag: number, durationMs: number): void {
  const s = d.stats;
  s.batches += 1;
  s.messages += r.messages;
  s.applied += r.applied;
  s.duplicate += r.duplicate;
  s.late += r.late;
  s.dlq += r.dlq.length;
  s.conflicts += r.conflicts;
  d.lag.set(partition, Math.max(0, lag));
  const inst = d.instruments;
  inst.events.add(r.applied, { outcome: "applied" });
  inst.events.add(r.duplicate, { outcome: "duplicate" });
  inst.events.add(r.late, { outcome: "late" });
  inst.events.add(r.dlq.length, { outcome: "dlq" });
  inst.late.add(r.late);
  for (const [reason, n] of Object.entries(r.rejected)) inst.dlq.add(n, { reason });
  inst.batch.record(durationMs / 1000);
}

/**
 * Dead letters keep the original message's headers (trace context, producer metadata) beside
 * the `dlq.*` ones, which win on a clash. The processor never sees headers (they do not cross
 * to the worker thread), so they are joined back here by offset.
 */
export function withOriginalHeaders(
  dlq: readonly DlqMessage[],
  messages: readonly { offset: string; headers?: IHeaders }[],
): DlqMessage[] {
  const byOffset = new Map(messages.map((m) => [m.offset, m.headers]));
  return dlq.map((m) => {
    const original = byOffset.get(String(m.headers["dlq.offset"] ?? ""));
    if (original === undefined) return m;
    const headers: Record<string, string | Buffer> = {};
    for (const [k, v] of Object.entries(original)) {
      if (v === undefined) continue;
      // kafkajs allows repeated headers as arrays: the last value is kept.
      const last = Array.isArray(v) ? v[v.length - 1] : v;
      if (last !== undefined) headers[k] = last;
    }
    return { ...m, headers: { ...headers, ...m.headers } };
  });
}
