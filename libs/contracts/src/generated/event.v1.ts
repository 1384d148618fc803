/* Generated from schemas/event.v1.schema.json by scripts/gen-types.mjs (npm run gen -w @seqlane/contracts). Do not edit. */

export type Id = string | number;
export type OptionalId = string | number | null;

/**
 * One behaviour event, one JSON object per Kafka message on `behavior-events` (key = user_id). Unknown fields are ignored (forward compatibility). Ids are `seqlane-id`s: a string of 1..128 UTF-8 bytes, well-formed Unicode (no lone surrogate), no control character; or a non-negative safe integer, canonicalised to its decimal string. Beyond this schema one rule depends on time: `ts` must not be later than the message's Kafka timestamp plus the allowed future skew (x-seqlane.futureSkewMs). Optional fields may also be null, which means absent.
 */
export interface BehaviourEvent {
  /**
   * Event schema version.
   */
  readonly schema: 1;
  /**
   * Unique per event; duplicates of the same event carry the same id.
   */
  readonly event_id: string | number;
  readonly user_id: Id;
  readonly item_id: Id;
  readonly category_id: Id;
  readonly brand_id?: OptionalId;
  readonly shop_id?: OptionalId;
  /**
   * Non-negative, finite.
   */
  readonly price?: number | null;
  /**
   * Behaviour type.
   */
  readonly type: "click" | "fav" | "cart" | "purchase" | "exposure";
  /**
   * Event time, integer epoch milliseconds, from 2000-01-01 on.
   */
  readonly ts: number;
  /**
   * Where the event was logged: server side, or on the device (AliSearch keeps these apart).
   */
  readonly source?: "server" | "device" | null;
  /**
   * The scoring request that showed the item, for label joins.
   */
  readonly request_id?: string | number | null;
  /**
   * 0-based slot on the page where the item was shown.
   */
  readonly position?: number | null;
}
