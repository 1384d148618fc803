/** Version of the event schema this code reads and writes (the `schema` field). */
export const SCHEMA_VERSION = 1;

/** Behaviour types, in the order of libs/sequences' BEHAVIOUR_CODES (1-based). */
export const EVENT_TYPES = ["click", "fav", "cart", "purchase", "exposure"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Where the event was logged: server side, or on the device (AliSearch keeps these apart). */
export const EVENT_SOURCES = ["server", "device"] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/**
 * One behaviour event, one JSON object per Kafka message (key = user_id). CONTRACT.
 * Id fields are canonical id strings (docs/ids.md): integers on the wire arrive here as
 * decimal strings.
 */
export interface BehaviourEvent {
  readonly schema: typeof SCHEMA_VERSION;
  /** Unique per event; duplicates of the same event carry the same id. */
  readonly event_id: string;
  readonly user_id: string;
  readonly item_id: string;
  readonly category_id: string;
  readonly brand_id?: string;
  readonly shop_id?: string;
  /** Non-negative, finite. */
  readonly price?: number;
  readonly type: EventType;
  /** Event time, epoch milliseconds (integer). */
  readonly ts: number;
  readonly source: EventSource;
  /** The scoring request that showed the item, for label joins. */
  readonly request_id?: string;
  /** 0-based slot on the page where the item was shown. */
  readonly position?: number;
}
