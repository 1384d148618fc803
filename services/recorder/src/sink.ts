import { SpanStatusCode, trace, type Counter, type Histogram } from "@opentelemetry/api";
import { WarehouseError, type Warehouse } from "@seqlane/warehouse";
import type { Batch } from "./buffer.js";
import { insertIsolating, refusedToRejected, type RefusedRow } from "./isolate.js";
import type { Parking } from "./parking.js";
import { withRetry, type RetryPolicy } from "./retry.js";

export interface SinkMetrics {
  readonly rows: Counter;
  readonly rejected: Counter;
  readonly parked: Counter;
  readonly failures: Counter;
  /** Seconds, like every duration metric. */
  readonly insertDuration: Histogram;
  readonly batchRows: Histogram;
}

export interface SinkStats {
  rowsWritten: number;
  rejectedWritten: number;
  batchesParked: number;
  rowsParked: number;
  /** Rows ClickHouse refused on their own, filed in events_rejected with its reason. */
  rowsRefused: number;
}

const tracer = trace.getTracer("seqlane-recorder");

/**
 * Writes a batch: insert with retries; if ClickHouse still refuses, park the batch in the
 * retry queue. Resolves once the rows are durable in ClickHouse or Redis, so the caller may
 * commit the offsets. After a failure the breaker stays open for `breakerMs`: batches go
 * straight to the queue instead of each waiting out the retries.
 */
export class Sink {
  private breakerUntil = 0;
  readonly stats: SinkStats = { rowsWritten: 0, rejectedWritten: 0, batchesParked: 0, rowsParked: 0, rowsRefused: 0 };
  /** Called with rows of events_rejected that ClickHouse refused (logged by the recorder). */
  onRefusedRejected?: (rows: readonly RefusedRow[]) => void;

  constructor(
    private readonly wh: Warehouse,
    private readonly parking: Parking,
    private readonly tables: Readonly<Record<string, string>>,
    private readonly retry: RetryPolicy,
    private readonly breakerMs: number,
    private readonly metrics: SinkMetrics,
  ) {}

  async write(batch: Batch<object>): Promise<void> {
    const table = this.tables[batch.topic];
    if (table === undefined) throw new RangeError(`no table for topic ${batch.topic}`);
    await this.writeRows(table, batch.rows, batch);
    for (const [other, rows] of batch.routed ?? []) await this.writeRows(other, rows, batch);
    await this.writeRows("events_rejected", batch.rejected, batch);
  }

  private async writeRows(table: string, rows: readonly object[], batch: Batch<object>): Promise<void> {
    if (rows.length === 0) return;
    const links = batch.links.map((context) => ({ context }));
    await tracer.startActiveSpan(
      `insert ${table}`,
      { links, attributes: { "db.system": "clickhouse", "db.sql.table": table, "seqlane.rows": rows.length } },
      async (span) => {
        const started = performance.now();
        try {
          if (Date.now() < this.breakerUntil) throw new WarehouseError("breaker open", { retriable: true });
          // A row ClickHouse refuses for its data is isolated (bisection), never retried forever
          // with the good rows of its batch.
          const refused = await withRetry(
            () => insertIsolating(this.wh, table, rows),
            this.retry,
            (e) => e instanceof WarehouseError && e.retriable,
          );
          const written = rows.length - refused.length;
          if (table === "events_rejected") this.stats.rejectedWritten += written;
          else this.stats.rowsWritten += written;
          this.metrics.rows.add(written, { table });
          this.metrics.batchRows.record(rows.length, { table });
          this.metrics.insertDuration.record((performance.now() - started) / 1000, { table });
          if (refused.length > 0) {
            this.stats.rowsRefused += refused.length;
            span.setAttribute("seqlane.refused", refused.length);
            if (table === "events_rejected") {
              // Payloads are text we produced: a refusal here is a defect; say so, keep the rest.
              this.onRefusedRejected?.(refused);
            } else {
              await this.writeRows(
                "events_rejected",
                refused.map((r) => refusedToRejected(batch.topic, r)),
                batch,
              );
            }
          }
        } catch (e) {
          this.breakerUntil = Date.now() + this.breakerMs;
          this.metrics.failures.add(1, { table });
          span.recordException(e instanceof Error ? e : String(e));
          // Redis down too: the error propagates, offsets stay uncommitted, Kafka redelivers.
          await this.parking.park({ table, rows, topic: batch.topic });
          this.stats.batchesParked += 1;
          this.stats.rowsParked += rows.length;
          this.metrics.parked.add(rows.length, { table });
          span.setStatus({ code: SpanStatusCode.ERROR, message: "parked in retry queue" });
        } finally {
          span.end();
        }
      },
    );
  }
}
