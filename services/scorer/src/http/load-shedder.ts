import type { Counter } from "@opentelemetry/api";
import { HttpError } from "./errors.js";

export interface LoadShedderOptions {
  /** Candidate rows admitted (queued or running) beyond which requests get 503. */
  readonly maxQueuedRows: number;
  /** Request-body bytes being received, across all connections, beyond which requests get 503. */
  readonly maxInflightBytes: number;
  /** Rows still waiting in the batchers: a timed-out request leaves `admittedRows` before its rows ran. */
  readonly pendingRows: () => number;
  /** Counts refusals, by `reason` (rows, bytes). */
  readonly shed?: Pick<Counter, "add">;
}

/**
 * Load shedding: refuses with a fast 503 + Retry-After what would pass either bound, so memory
 * stays bounded under any load. Rows bound the work admitted (parsed requests, batches); bytes
 * bound the bodies still arriving (a thousand slow clients each holding a 1 MiB body).
 */
export class LoadShedder {
  private rows = 0;
  private bytes = 0;

  constructor(private readonly o: LoadShedderOptions) {}

  /** Candidate rows admitted and not yet answered. */
  get admittedRows(): number {
    return this.rows;
  }

  /** Request-body bytes reserved by bodies being read. */
  get inflightBytes(): number {
    return this.bytes;
  }

  /** Throws 503 when `rows` more would pass the row bound (admits nothing). */
  checkRows(rows: number): void {
    const queued = Math.max(this.rows, this.o.pendingRows());
    if (queued + rows > this.o.maxQueuedRows)
      throw this.refuse("rows", `queue holds ${queued} candidate rows (limit ${this.o.maxQueuedRows}); retry later`);
  }

  /** Checks and admits `rows`; the returned function releases them (call it once). */
  admitRows(rows: number): () => void {
    this.checkRows(rows);
    this.rows += rows;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.rows -= rows;
    };
  }

  /** Reserves `n` body bytes or throws 503 (reserving nothing) when they would pass the byte bound. */
  reserveBytes(n: number): void {
    if (this.bytes + n > this.o.maxInflightBytes)
      throw this.refuse(
        "bytes",
        `request bodies in flight hold ${this.bytes} bytes (limit ${this.o.maxInflightBytes}); retry later`,
      );
    this.bytes += n;
  }

  releaseBytes(n: number): void {
    this.bytes -= n;
  }

  private refuse(reason: "rows" | "bytes", message: string): HttpError {
    this.o.shed?.add(1, { reason });
    return new HttpError(503, "overloaded", message, undefined, 1);
  }
}
