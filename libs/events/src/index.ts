export { EventsError, EventValidationError } from "./errors.js";
export type { RejectKind } from "./errors.js";
export {
  EVENT_FUTURE_SKEW_MS,
  EVENT_MAX_BYTES,
  EVENT_SOURCES,
  EVENT_TYPES,
  SCHEMA_VERSION,
  SUPPORTED_EVENT_VERSIONS,
} from "./schema.js";
export type { BehaviourEvent, EventSource, EventType } from "./schema.js";
export type { PredictionMessage } from "./prediction.js";
export { canonicalId, formatId64, id64, id64BigInt, id64Into } from "./ids.js";
export type { Id64 } from "./ids.js";
export { fnv1a64Into } from "./fnv.js";
export { kafkaTime, parseEvent, validateEvent } from "./validate.js";
export type { ParseResult, ValidateOptions } from "./validate.js";
export { eventKey, serializeEvent } from "./serialize.js";
export { dlqMessage } from "./dlq.js";
export type { DlqMessage, MessageOrigin } from "./dlq.js";
