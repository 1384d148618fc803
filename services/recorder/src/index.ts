export { createRecorder } from "./create-recorder.js";
export type { Recorder, RecorderStats } from "./create-recorder.js";
export type { RecorderOptions } from "./options.js";
export { DEFAULT_RETRY, backoffMs, withRetry } from "./retry.js";
export type { RetryPolicy } from "./retry.js";
export { producerContext } from "./trace.js";
export { TopicBuffer } from "./buffer.js";
export type { Batch } from "./buffer.js";
