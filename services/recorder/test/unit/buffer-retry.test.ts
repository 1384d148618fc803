import { describe, expect, it } from "vitest";
import { toEventRow, toPredictionRow } from "@seqlane/warehouse";
import { TopicBuffer, backoffMs, withRetry } from "../../src/index.js";

const T = Date.UTC(2026, 0, 1);
const at = (offset: string, partition = 0) => ({ topic: "t", partition, offset, timestamp: String(T), key: null });
const ev = (id: string) =>
  JSON.stringify({
    event_id: id,
    user_id: 1,
    item_id: 2,
    category_id: 3,
    type: "click",
    ts: T - 1000,
    source: "server",
    schema: 1,
  });

describe("TopicBuffer", () => {
  it("keeps rows and rejected rows apart and commits last offset + 1 per partition", () => {
    const b = new TopicBuffer<object>("t");
    b.add(toEventRow(ev("a"), at("5")), 0, "5", undefined, 100);
    b.add(toEventRow("{bad", at("6")), 0, "6", undefined, 101);
    b.add(toEventRow(ev("c"), at("9007199254740993", 2)), 2, "9007199254740993", undefined, 102);
    expect(b.size).toBe(3);
    expect(b.firstAt).toBe(100);
    const batch = b.take();
    expect(batch.rows.length).toBe(2);
    expect(batch.rejected.length).toBe(1);
    expect([...batch.commits]).toEqual([
      [0, "7"],
      [2, "9007199254740994"],
    ]);
    expect(b.size).toBe(0);
    expect(b.pending).toBe(false);
    expect(b.firstAt).toBe(0);
  });

  it("keeps rows a message routes to another table (shadow predictions) apart, by table", () => {
    const b = new TopicBuffer<object>("t");
    const p = { request_id: "r", user_id: 1, item_id: 2, model: "din", version: "5", ctr: 0.5, ts: T };
    b.add(toPredictionRow(JSON.stringify(p), at("1")), 0, "1", undefined, 100);
    b.add(toPredictionRow(JSON.stringify({ ...p, schema: 2, shadow: true }), at("2")), 0, "2", undefined, 101);
    expect(b.size).toBe(2);
    const batch = b.take();
    expect(batch.rows.length).toBe(1);
    expect([...(batch.routed ?? [])].map(([t, rows]) => [t, rows.length])).toEqual([["predictions_shadow", 1]]);
    expect(b.size).toBe(0);
  });
});

describe("retry", () => {
  it("doubles the delay up to the cap, with jitter within 20%", () => {
    const p = { baseMs: 100, maxMs: 1000 };
    expect(backoffMs(p, 2, () => 0.5)).toBe(100);
    expect(backoffMs(p, 3, () => 0.5)).toBe(200);
    expect(backoffMs(p, 10, () => 0.5)).toBe(1000);
    expect(backoffMs(p, 3, () => 0)).toBe(160);
    expect(backoffMs(p, 3, () => 1)).toBe(240);
  });

  it("retries retriable errors only, never programmer errors, and stops after the attempts", async () => {
    const sleeps: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      sleeps.push(ms);
    };
    let calls = 0;
    const flaky = async (): Promise<string> => {
      calls++;
      if (calls < 3) throw new Error("down");
      return "ok";
    };
    expect(await withRetry(flaky, { attempts: 5, baseMs: 10, maxMs: 100 }, () => true, sleep)).toBe("ok");
    expect(calls).toBe(3);
    expect(sleeps.length).toBe(2);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new TypeError("bug");
        },
        { attempts: 5, baseMs: 1, maxMs: 1 },
        () => true,
        sleep,
      ),
    ).rejects.toThrow(TypeError);
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error("x");
        },
        { attempts: 3, baseMs: 1, maxMs: 1 },
        () => true,
        sleep,
      ),
    ).rejects.toThrow("x");
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error("fatal");
        },
        { attempts: 3, baseMs: 1, maxMs: 1 },
        () => false,
        sleep,
      ),
    ).rejects.toThrow("fatal");
    expect(calls).toBe(1);
  });
});
