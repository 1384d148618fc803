import type { Admin } from "kafkajs";

/** Messages of `topic` not yet committed by `groupId`, summed over partitions. */
export async function ingestLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  let lag = 0;
  for (const p of ends) {
    const c = done.get(p.partition) ?? -1;
    lag += c < 0 ? Number(p.offset) - Number(p.low) : Math.max(0, Number(p.offset) - c);
  }
  return lag;
}
