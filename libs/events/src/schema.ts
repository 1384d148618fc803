/**
 * The behaviour-event contract, re-exported from its one definition in libs/contracts
 * (schemas/event.v1.schema.json; types generated from it).
 */
export {
  EVENT_FUTURE_SKEW_MS,
  EVENT_MAX_BYTES,
  EVENT_SCHEMA_VERSION as SCHEMA_VERSION,
  EVENT_SOURCES,
  EVENT_TYPES,
  SUPPORTED_EVENT_VERSIONS,
} from "@seqlane/contracts";
export type { BehaviourEvent, EventSource, EventType } from "@seqlane/contracts";
