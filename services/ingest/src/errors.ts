/** Root of services/ingest errors; `retriable` says whether trying again can help. */
export class IngestError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "IngestError";
    this.retriable = options.retriable ?? false;
  }
}

/** A batch could not be finished (e.g. Redis stayed down past the stop timeout); nothing was committed. */
export class BatchAbortedError extends IngestError {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly firstOffset: string,
    cause: unknown,
  ) {
    super(`batch ${topic}[${partition}]@${firstOffset} aborted, offsets left uncommitted`, { cause });
    this.name = "BatchAbortedError";
  }
}

/** Whether an error may heal by retrying: a `retriable` flag set by our libraries, never a programmer error. */
export function isRetriable(e: unknown): boolean {
  if (e instanceof TypeError || e instanceof RangeError || e instanceof SyntaxError) return false;
  return typeof e === "object" && e !== null && (e as { retriable?: unknown }).retriable === true;
}
