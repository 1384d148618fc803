import { randomUUID } from "node:crypto";
import { Kafka, logLevel, type Consumer, type Producer, type Admin } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Proves kafkajs 2.x works with the broker version infra/kafka pins: admin, produce, consumer
// group join, fetch and offset commit.
const brokers = (process.env.SEQLANE_KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const topic = `smoke-kafka-${randomUUID()}`;
const groupId = `smoke-group-${randomUUID()}`;
const kafka = new Kafka({ clientId: "smoke-kafka", brokers, logLevel: logLevel.WARN });
let admin: Admin;
let producer: Producer;
let consumer: Consumer;

beforeAll(async () => {
  admin = kafka.admin();
  producer = kafka.producer();
  consumer = kafka.consumer({ groupId });
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
});

afterAll(async () => {
  await consumer?.disconnect();
  await producer?.disconnect();
  await admin?.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin?.disconnect();
});

describe("kafka smoke", () => {
  it("produces, consumes in a group and commits offsets", async () => {
    await producer.connect();
    const messages = Array.from({ length: 30 }, (_, i) => ({
      key: `user-${i % 7}`,
      value: `event-${i}`,
      partition: i % 3,
    }));
    await producer.send({ topic, messages });

    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic: t, partition, message }) => {
          seen.push(message.value?.toString() ?? "");
          await consumer.commitOffsets([{ topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
          if (seen.length === messages.length) resolve();
        },
      });
    });
    await done;
    expect(seen.sort()).toEqual(messages.map((m) => m.value).sort());

    // The group's commits are read back through the admin API (OffsetFetch). Poll briefly:
    // the last commit may still be in flight when eachMessage has returned.
    let committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const total = () => committed[0]!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    for (let i = 0; i < 50 && total() < messages.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    }
    expect(total()).toBe(messages.length);

    const ends = await admin.fetchTopicOffsets(topic);
    for (const p of committed[0]!.partitions) {
      expect(p.offset).toBe(ends.find((e) => e.partition === p.partition)!.offset);
    }
  });

  it("has the declared topics from infra/kafka/topics.json", async () => {
    const meta = await admin.fetchTopicMetadata({ topics: ["behavior-events", "predictions", "items"] });
    const partitions = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
    expect(partitions).toEqual({ "behavior-events": 6, predictions: 6, items: 3 });
  });
});
