import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createRedisStore, prepareEvent, apply, DEFAULT_SPEC, type CorruptStateError } from "@seqlane/sequences";
import { afterAll, describe, expect, it } from "vitest";

const redis = new Redis(process.env.SEQLANE_REDIS_URL ?? "redis://127.0.0.1:6379");
afterAll(() => redis.quit());

describe("a corrupt stored state (real Redis)", () => {
  it("is served as empty, quarantined on load, and the next save starts afresh", async () => {
    const prefix = `t-${randomUUID()}:`;
    const seen: string[] = [];
    const store = createRedisStore({
      redis,
      keyPrefix: prefix,
      onCorrupt: (u: string, e: CorruptStateError) => seen.push(`${u}: ${e.name}`),
    });
    const key = store.keyOf("u1");
    await redis.set(key, Buffer.from([99, 1, 2, 3]));

    const read = await store.read("u1");
    expect(read.long_click.length).toBe(0);
    expect(seen).toEqual(["u1: CorruptStateError"]);

    const [state] = await store.load(["u1"]);
    expect(await redis.exists(key)).toBe(0);
    expect(await redis.getBuffer(`${key}:corrupt`)).toEqual(Buffer.from([99, 1, 2, 3]));
    expect(await redis.ttl(`${key}:corrupt`)).toBeGreaterThan(0);

    apply(
      state!,
      prepareEvent({
        schema: 1,
        event_id: "e1",
        user_id: "u1",
        item_id: "7",
        category_id: "3",
        type: "click",
        ts: 1_700_000_000_000,
        source: "server",
      }),
      DEFAULT_SPEC,
    );
    expect(await store.save([{ userId: "u1", state: state! }])).toEqual(["saved"]);
    expect((await store.read("u1")).long_click.length).toBe(1);
  });
});
