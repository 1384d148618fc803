export { createIngest } from "./create-ingest.js";
export type { BatchInfo, Ingest, IngestOptions, IngestStats } from "./create-ingest.js";
export { createProcessor } from "./process/processor.js";
export type { BatchResult, InputMessage, Processor, ProcessorOptions } from "./process/processor.js";
export { BatchAbortedError, IngestError, isRetriable } from "./errors.js";
export { RETRY_DEFAULTS, retry } from "./retry.js";
export type { RetryOptions } from "./retry.js";
