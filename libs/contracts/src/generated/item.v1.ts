/* Generated from schemas/item.v1.schema.json by scripts/gen-types.mjs (npm run gen -w @seqlane/contracts). Do not edit. */

export type Id = string | number;

/**
 * Item attributes on the compacted Kafka topic `items` (key = item_id; a null value, a tombstone, deletes the item). The scorer fills in candidates' missing attributes from it. `item_id` may be left out when the key carries it. Unknown fields are ignored.
 */
export interface ItemMessage {
  /**
   * Item message version; absent means 1.
   */
  readonly schema?: 1;
  readonly item_id?: Id;
  readonly category_id?: Id;
  readonly brand_id?: Id | null;
  readonly shop_id?: Id | null;
  readonly price?: number | null;
}
