import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KafkaMessage } from "kafkajs";
import { createGenerator } from "@seqlane/generator";
import { REDIS_URL, readable, rand, setup, toMessages, waitFor } from "./ingest-support.js";
import type { Env } from "./ingest-support.js";

// Inline: processing on the Kafka thread. Thread: in a worker thread, where the batch travels as
// one packed buffer with indices for offsets, and the DLQ must still get the original bytes,
// key and offset back.
describe.each(["inline", "thread"] as const)("ingest (%s processing): invalid input", (mode) => {
  let env: Env;
  beforeAll(async () => {
    env = await setup(1);
  });
  afterAll(async () => env?.close());

  it("sends each kind of bad input to the DLQ with its reason and origin; good events around it are applied", async () => {
    const g = createGenerator({ seed: 5, users: 3, items: 100, startTs: Date.UTC(2026, 0, 1) });
    const good = Array.from({ length: 40 }, () => g.next()).filter(
      (e, i, a) => a.findIndex((x) => x.event_id === e.event_id) === i,
    );
    const bad: [string, string | Buffer][] = [
      ["bad_json", "{not json"],
      ["bad_json", Buffer.from([0xff, 0xfe, 0x00])],
      ["wrong_type", JSON.stringify({ ...good[0], item_id: { id: 1 } })],
      ["missing_field", JSON.stringify({ ...good[0], user_id: undefined })],
      ["unknown_type", JSON.stringify({ ...good[0], type: "like" })],
      ["future_ts", JSON.stringify({ ...good[0], ts: Date.now() + 7 * 86_400_000 })],
      ["oversized", JSON.stringify({ ...good[0], pad: "x".repeat(20_000) })],
      ["schema_version", JSON.stringify({ ...good[0], schema: 2 })],
      ["not_object", "[1,2,3]"],
    ];
    const messages: { key: string | null; value: string | Buffer }[] = [];
    good.forEach((e, i) => {
      messages.push(toMessages([e])[0]!);
      const b = bad[i];
      if (b) messages.push({ key: "u-bad", value: b[1] });
    });
    await env.produce(messages);
    const groupId = rand("it-group");
    const ing = env.ingest(mode === "thread" ? { groupId, redis: undefined, redisUrl: REDIS_URL } : { groupId });
    await ing.start();
    await waitFor("all messages", () => ing.stats.messages === messages.length);
    expect(ing.stats.dlq).toBe(bad.length);

    const dlq: KafkaMessage[] = [];
    const c = env.kafka.consumer({ groupId: rand("it-dlq") });
    await c.connect();
    await c.subscribe({ topic: env.dlqTopic, fromBeginning: true });
    await c.run({ eachMessage: async ({ message }) => void dlq.push(message) });
    await waitFor("dlq messages", () => dlq.length === bad.length);
    await c.disconnect();
    bad.forEach(([reason, value], i) => {
      const m = dlq[i]!;
      const h = (k: string) => m.headers?.[k]?.toString();
      expect(h("dlq.reason")).toBe(reason);
      expect(h("dlq.topic")).toBe(env.topic);
      expect(h("dlq.partition")).toBe("0");
      expect(Number(h("dlq.offset"))).toBe(2 * i + 1);
      expect(h("dlq.field")?.length).toBeGreaterThan(0);
      expect(h("dlq.detail")?.length).toBeGreaterThan(0);
      expect(Buffer.compare(m.value!, Buffer.from(value))).toBe(0);
      expect(m.key?.toString()).toBe("u-bad");
    });
    const users = [...new Set(good.map((e) => e.user_id))];
    const seqs = await readable(env.store(), users);
    const stored = seqs.reduce((n, u) => n + u.sequences.short_mixed.ts.length + u.sequences.exposure.ts.length, 0);
    expect(stored).toBeGreaterThan(0);
    expect(ing.stats.applied).toBe(good.length);
    // bad input never stalls the partition: everything, DLQ'd messages included, is committed
    expect(await env.committed(groupId)).toBe(messages.length);
  });
});
