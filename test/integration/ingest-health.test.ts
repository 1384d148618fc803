/**
 * Bad input never stops ingest, and /healthz tells the truth (real Kafka and Redis):
 * a burst of 8,000 tiny invalid messages in one batch reaches the DLQ (in requests under
 * Kafka's 1 MB limit) and is committed; a batch stuck retrying a down store turns the
 * consumer's health to 503 "retrying" with the reason, and back to "consuming" when it heals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGenerator } from "@seqlane/generator";
import { startHealthServer } from "@seqlane/service";
import { createMemoryStore, type SequenceStore } from "@seqlane/sequences";
import { rand, setup, toMessages, waitFor, type Env } from "./ingest-support.js";

describe("ingest: bad input bursts and honest health", () => {
  let env: Env;
  beforeAll(async () => {
    env = await setup(1);
  });
  afterAll(async () => env?.close());

  it("dead-letters 8,000 one-byte messages of one batch and commits them", async () => {
    const n = 8000;
    await env.produce(Array.from({ length: n }, (_, i) => ({ key: `k${i % 50}`, value: "x" })));
    const groupId = rand("it-burst");
    const ing = env.ingest({ groupId, maxBatchBytes: 4 * 1024 * 1024 });
    await ing.start();
    await waitFor("the burst", () => ing.stats.messages === n, 90_000);
    expect(ing.stats.dlq).toBe(n);
    expect(await env.committed(groupId)).toBe(n);
    expect(ing.health()).toMatchObject({ healthy: true, status: "consuming" });
    const end = await env.admin.fetchTopicOffsets(env.dlqTopic);
    expect(end.reduce((a, p) => a + Number(p.high), 0)).toBeGreaterThanOrEqual(n);
  });

  it("keeps the original headers on a dead letter, beside the dlq.* ones", async () => {
    await env.producer.send({
      topic: env.topic,
      acks: -1,
      messages: [{ key: "u-h", value: "{not json", headers: { traceparent: "00-abc-def-01", "dlq.reason": "forged" } }],
    });
    const ing = env.ingest({ groupId: rand("it-headers") });
    await ing.start();
    const seen: { headers: Record<string, string> }[] = [];
    const c = env.kafka.consumer({ groupId: rand("it-dlq-h") });
    await c.connect();
    await c.subscribe({ topic: env.dlqTopic, fromBeginning: true });
    await c.run({
      eachMessage: async ({ message }) => {
        const h = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        if (h["dlq.field"] !== undefined && message.key?.toString() === "u-h") seen.push({ headers: h });
      },
    });
    await waitFor("the dead letter", () => seen.length > 0);
    await c.disconnect();
    expect(seen[0]!.headers).toMatchObject({
      traceparent: "00-abc-def-01",
      "dlq.reason": "bad_json",
      "dlq.field": "$",
    });
  });

  it("reports a consumer blocked on a down store as 503, then healthy again", async () => {
    const inner = createMemoryStore();
    let down = true;
    const failing: SequenceStore = {
      load: async (users) => {
        if (down) throw Object.assign(new Error("store down"), { retriable: true });
        return inner.load(users);
      },
      save: (states) => inner.save(states),
    } as SequenceStore;
    const ing = env.ingest({ groupId: rand("it-blocked"), redis: undefined, store: failing, blockedAfterMs: 300 });
    const server = await startHealthServer({ port: 0, health: () => ing.health() });
    const port = (server.address() as { port: number }).port;
    const probe = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { code: res.status, body: (await res.json()) as { status: string; reason?: string } };
    };
    try {
      expect((await probe()).code).toBe(503); // not yet in the group
      const g = createGenerator({ seed: 3, users: 2, items: 50, startTs: Date.now() - 60_000 });
      await env.produce(toMessages(Array.from({ length: 5 }, () => g.next())));
      await ing.start();
      await waitFor(
        "the retries to block",
        async () => (await probe()).body.status === "retrying" && (await probe()).code === 503,
      );
      const blocked = await probe();
      expect(blocked.body.reason).toContain("store down");
      down = false;
      await waitFor("recovery", async () => (await probe()).code === 200);
      expect((await probe()).body.status).toBe("consuming");
    } finally {
      server.close();
      await ing.stop();
    }
    expect(ing.health()).toMatchObject({ healthy: false, status: "stopped" });
  });
});
