import { randomUUID } from "node:crypto";
import type { Consumer, Kafka } from "kafkajs";
import type { Logger } from "@seqlane/models";
import type { ItemCatalog } from "./catalog.js";

const isId = (v: unknown): v is string | number =>
  (typeof v === "string" && v.length > 0) || (Number.isSafeInteger(v) && (v as number) >= 0);

/**
 * Applies one `items` message: key = item_id, value JSON {item_id, category_id, brand_id?, ...};
 * a null value (tombstone) deletes. Returns false for a message it could not use.
 */
export function applyItemMessage(catalog: ItemCatalog, key: Buffer | null, value: Buffer | null): boolean {
  const itemId = key?.toString("utf8");
  if (value === null) {
    if (itemId === undefined) return false;
    catalog.delete(itemId);
    return true;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(value.toString("utf8"));
  } catch {
    return false;
  }
  if (typeof doc !== "object" || doc === null) return false;
  const d = doc as Record<string, unknown>;
  const id = isId(d.item_id) ? d.item_id : itemId;
  if (id === undefined) return false;
  const attrs: { categoryId?: string | number; brandId?: string | number } = {};
  if (isId(d.category_id)) attrs.categoryId = d.category_id;
  if (isId(d.brand_id)) attrs.brandId = d.brand_id;
  catalog.set(id, attrs);
  return true;
}

/**
 * Follows the compacted items topic from the beginning with a consumer group of its own (each
 * scorer needs every item, so no partition sharing and no committed offsets matter).
 */
export async function followItemsTopic(
  kafka: Kafka,
  topic: string,
  catalog: ItemCatalog,
  logger: Logger,
): Promise<{ consumer: Consumer; stop(): Promise<void> }> {
  const consumer = kafka.consumer({ groupId: `seqlane-scorer-items-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let bad = 0;
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) if (!applyItemMessage(catalog, m.key, m.value)) bad++;
      if (bad > 0) {
        logger.warn("items messages skipped (not {item_id, category_id, ...} JSON)", { topic, count: bad });
        bad = 0;
      }
    },
  });
  return { consumer, stop: () => consumer.disconnect() };
}
