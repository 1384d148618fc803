import { metrics } from "@opentelemetry/api";
import { defaults, scorer } from "@seqlane/config";
import { createInstrument } from "@seqlane/telemetry";
import type { PredictionMessage } from "@seqlane/events";
import type { Logger } from "@seqlane/models";

/**
 * One logged prediction: the `predictions` message (CONTRACT in @seqlane/events: version 1 for
 * served predictions, version 2 with shadow: true for shadow ones) plus its trace.
 */
export type PredictionRow = PredictionMessage & {
  /** W3C trace headers of the scoring request; sent as Kafka headers, not in the JSON value. */
  readonly trace?: Readonly<Record<string, string>>;
};

/** Where batches of predictions go (Kafka in production, an array in tests). */
export interface PredictionSink {
  send(rows: readonly PredictionRow[]): Promise<void>;
}

export interface PredictionLogOptions {
  /** Most rows held; beyond it rows are dropped and counted. */
  readonly maxRows: number;
  /** Rows per send. Default 1000. */
  readonly batchRows?: number;
  /** Flush interval (ms). Default: SEQLANE_PREDICTION_FLUSH_MS's. */
  readonly flushMs?: number;
}

/**
 * Bounded buffer between the request path and the prediction sink: `push` never waits and never
 * grows past `maxRows` (drops are the metric seqlane.scorer.prediction_log.dropped, zero in normal
 * operation); one send in flight at a time; a failed send keeps its rows if there is room.
 */
export class PredictionLog {
  private buffer: PredictionRow[] = [];
  private sending: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private droppedRows = 0;
  private readonly dropped = createInstrument(metrics.getMeter("@seqlane/scorer"), "predictionLogDropped");

  constructor(
    private readonly sink: PredictionSink,
    private readonly options: PredictionLogOptions,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? defaults(scorer).predictionFlushMs);
    this.timer.unref();
  }

  get dropCount(): number {
    return this.droppedRows;
  }

  get size(): number {
    return this.buffer.length;
  }

  push(rows: readonly PredictionRow[]): void {
    const room = this.options.maxRows - this.buffer.length;
    const take = Math.min(room, rows.length);
    for (let i = 0; i < take; i++) this.buffer.push(rows[i]!);
    if (take < rows.length) this.drop(rows.length - take);
    if (this.buffer.length >= (this.options.batchRows ?? 1000)) void this.flush();
  }

  /**
   * Pushes rows that must never crowd out others (shadow predictions): only while the buffer is
   * at most half full after them. Returns whether they were taken.
   */
  pushIfRoom(rows: readonly PredictionRow[]): boolean {
    if (this.buffer.length + rows.length > this.options.maxRows / 2) return false;
    this.push(rows);
    return true;
  }

  /** Sends what is buffered (one send at a time). */
  flush(): Promise<void> {
    if (this.sending !== undefined || this.buffer.length === 0) return this.sending ?? Promise.resolve();
    const rows = this.buffer.splice(0, this.options.batchRows ?? 1000);
    this.sending = this.sink
      .send(rows)
      .catch((e: unknown) => {
        const room = this.options.maxRows - this.buffer.length;
        const keep = rows.slice(0, Math.max(0, room));
        this.buffer.unshift(...keep);
        if (keep.length < rows.length) this.drop(rows.length - keep.length);
        this.logger.warn("prediction log send failed; will retry", {
          rows: rows.length,
          error: e instanceof Error ? e.message : String(e),
        });
      })
      .finally(() => {
        this.sending = undefined;
      });
    return this.sending;
  }

  /** Flushes everything (bounded by `timeoutMs`) and stops the timer. */
  async close(timeoutMs = 5000): Promise<void> {
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while ((this.buffer.length > 0 || this.sending !== undefined) && Date.now() < deadline) {
      await this.flush();
      if (this.buffer.length > 0 && this.sending === undefined) await new Promise((r) => setTimeout(r, 50));
    }
  }

  private drop(n: number): void {
    this.droppedRows += n;
    this.dropped.add(n);
  }
}
