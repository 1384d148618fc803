import { randomUUID } from "node:crypto";
import type { Consumer, Kafka } from "kafkajs";
import type { Logger } from "@seqlane/models";
import { itemContract, parseJson, type MessageProblem } from "@seqlane/contracts";
import type { ItemCatalog } from "./catalog.js";

/**
 * Applies one `items` message (CONTRACT: libs/contracts schemas/item.v1.schema.json): key =
 * item_id, value {item_id?, category_id?, brand_id?, ...}; a null value (tombstone) deletes.
 * Returns the problem for a message it could not use (field and reason), else undefined.
 */
export function applyItemMessage(
  catalog: ItemCatalog,
  key: Buffer | null,
  value: Buffer | null,
): MessageProblem | undefined {
  const keyId = key === null ? undefined : key.toString("utf8");
  if (value === null) {
    if (keyId === undefined) return { field: "$", reason: "a tombstone needs the item id as its key" };
    catalog.delete(keyId);
    return undefined;
  }
  const parsed = parseJson(value);
  const r = parsed.ok ? itemContract.check(parsed.value) : parsed;
  if (!r.ok) return r.problem;
  const id = r.value.item_id ?? keyId;
  if (id === undefined || id === "") return { field: "item_id", reason: "is required when the message has no key" };
  catalog.set(id, {
    ...(r.value.category_id !== undefined && { categoryId: r.value.category_id }),
    ...(r.value.brand_id !== undefined && r.value.brand_id !== null && { brandId: r.value.brand_id }),
  });
  return undefined;
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
  let example: MessageProblem | undefined;
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const problem = applyItemMessage(catalog, m.key, m.value);
        if (problem !== undefined) {
          bad++;
          example ??= problem;
        }
      }
      if (bad > 0) {
        logger.warn("items messages skipped (see the item contract)", { topic, count: bad, ...example });
        bad = 0;
        example = undefined;
      }
    },
  });
  return { consumer, stop: () => consumer.disconnect() };
}
