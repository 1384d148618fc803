export { loadSchema, seqlaneExtension } from "./schemas.js";
export type { SchemaDocument } from "./schemas.js";
export { compileSchema } from "./compile.js";
export type { CompiledSchema, SchemaViolation } from "./compile.js";
export { FORMATS, MAX_ID_BYTES, idProblem } from "./formats.js";
export { expected, jsonType, pointerToPath, problemText, shortValue, valueAt } from "./describe.js";
export {
  EVENT_FUTURE_SKEW_MS,
  EVENT_MAX_BYTES,
  EVENT_SCHEMA_VERSION,
  EVENT_SOURCES,
  EVENT_TYPES,
  SUPPORTED_EVENT_VERSIONS,
  checkEvent,
  eventSchema,
} from "./event.js";
export type {
  BehaviourEvent,
  BehaviourEventV1Wire,
  EventCheck,
  EventSource,
  EventType,
  RejectKind,
  Rejection,
} from "./event.js";
export { messageChecker, parseJson } from "./message.js";
export type { MessageCheck, MessageProblem } from "./message.js";
export { isShadowPrediction, itemContract, predictionContract } from "./prediction.js";
export type { ItemMessage, PredictionMessage, PredictionMessageV1, PredictionMessageV2 } from "./prediction.js";
export type { Canary, RoutingState } from "./generated/routing.v1.js";
export type {
  Buckets,
  CandidateFieldName,
  CandidateFieldSpec,
  ContextFieldName,
  ContextFieldSpec,
  Family,
  Manifest,
  Outputs,
  SlotBehaviourType,
  SlotFieldName,
  SlotFieldSpec,
  SlotPadding,
  SlotSource,
  SlotSpec,
  SlotView,
  Task,
  TensorName,
} from "./generated/manifest.v1.js";
export type { SamplesMeta, TensorSpec } from "./generated/samples-meta.v1.js";
