import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import {
  CorruptStateError,
  DEFAULT_SPEC,
  EMPTY_SEQUENCES,
  apply,
  createRedisStore,
  prepareEvent,
  sequencesOf,
} from "@seqlane/sequences";
import { createGenerator } from "@seqlane/generator";
import { REDIS_URL, rand } from "./ingest-support.js";

let redis: Redis;
const prefix = `${rand("it-store")}:`;
beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe("Redis sequence store", () => {
  it("saves with TTL, reads in one round trip, refuses a stale writer, never writes over corrupt values", async () => {
    const corrupt: string[] = [];
    const store = createRedisStore({ redis, keyPrefix: prefix, ttlSeconds: 600, onCorrupt: (u) => corrupt.push(u) });
    const g = createGenerator({ seed: 71, users: 300, items: 500, startTs: Date.UTC(2026, 0, 1) });
    const events = Array.from({ length: 3000 }, () => g.next());
    const users = [...new Set(events.map((e) => e.user_id))];
    const states = await store.load(users);
    const byUser = new Map(users.map((u, i) => [u, states[i]!]));
    for (const e of events) apply(byUser.get(e.user_id)!, prepareEvent(e), DEFAULT_SPEC);
    const stale = await store.load(users.slice(0, 5));
    // more users than one script run takes
    expect(await store.save(users.map((u) => ({ userId: u, state: byUser.get(u)! })))).toEqual(
      users.map(() => "saved"),
    );
    expect(await redis.ttl(store.keyOf(users[0]!))).toBeGreaterThan(500);

    const read = await store.readMany([...users, "nobody"]);
    read.slice(0, -1).forEach((s, i) => expect(s).toEqual(sequencesOf(byUser.get(users[i]!)!)));
    expect(read.at(-1)).toBe(EMPTY_SEQUENCES);
    expect(await store.read(users[1]!)).toEqual(sequencesOf(byUser.get(users[1]!)!));

    // a zombie that read before the save cannot overwrite
    const res = await store.save(stale.map((state, i) => ({ userId: users[i]!, state })));
    expect(res).toEqual(stale.map(() => "conflict"));
    expect(await store.read(users[0]!)).toEqual(sequencesOf(byUser.get(users[0]!)!));

    await redis.set(store.keyOf("broken"), "not a state");
    // Readers (the scorer) serve a corrupt user as empty and report it...
    expect(await store.read("broken")).toEqual(EMPTY_SEQUENCES);
    expect(corrupt).toEqual(["broken"]);
    // ...and a writer that did not load (and so quarantine) it first cannot blindly overwrite it.
    const [fresh] = await store.load(["other"]);
    await expect(store.save([{ userId: "broken", state: fresh! }])).rejects.toBeInstanceOf(CorruptStateError);
  });
});
