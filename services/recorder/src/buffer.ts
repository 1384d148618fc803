import type { Mapped, RejectedRow } from "@seqlane/warehouse";
import type { SpanContext } from "@opentelemetry/api";

/** What one flush writes and then commits. */
export interface Batch<R> {
  readonly topic: string;
  /** Rows of the topic's table. */
  readonly rows: R[];
  /** Rows whose message named another table (shadow predictions: predictions_shadow), by table. */
  readonly routed?: Map<string, R[]>;
  readonly rejected: RejectedRow[];
  /** Next offset to commit per partition (last offset + 1). */
  readonly commits: Map<number, string>;
  /** Producer span contexts found in message headers (bounded), linked from the insert span. */
  readonly links: SpanContext[];
}

const MAX_LINKS = 32;

/**
 * Rows of one topic waiting for their insert. Offsets are remembered per partition so that
 * exactly what was written gets committed.
 */
export class TopicBuffer<R> {
  private batch: Batch<R>;
  /** When the oldest waiting message arrived (ms), 0 when empty. */
  firstAt = 0;
  private routedRows = 0;

  constructor(readonly topic: string) {
    this.batch = TopicBuffer.empty(topic);
  }

  private static empty<R>(topic: string): Batch<R> {
    return { topic, rows: [], routed: new Map(), rejected: [], commits: new Map(), links: [] };
  }

  add(mapped: Mapped<R>, partition: number, offset: string, link: SpanContext | undefined, now: number): void {
    if (mapped.ok && mapped.table !== undefined) {
      let rows = this.batch.routed!.get(mapped.table);
      if (rows === undefined) this.batch.routed!.set(mapped.table, (rows = []));
      rows.push(mapped.row);
      this.routedRows += 1;
    } else if (mapped.ok) this.batch.rows.push(mapped.row);
    else this.batch.rejected.push(mapped.rejected);
    this.batch.commits.set(partition, (BigInt(offset) + 1n).toString());
    if (link !== undefined && this.batch.links.length < MAX_LINKS) this.batch.links.push(link);
    if (this.firstAt === 0) this.firstAt = now;
  }

  get size(): number {
    return this.batch.rows.length + this.routedRows + this.batch.rejected.length;
  }

  /** True when some offsets wait for a commit even if all their messages were empty. */
  get pending(): boolean {
    return this.batch.commits.size > 0;
  }

  take(): Batch<R> {
    const b = this.batch;
    this.batch = TopicBuffer.empty(this.topic);
    this.firstAt = 0;
    this.routedRows = 0;
    return b;
  }
}
