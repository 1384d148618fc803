import { describe, expect, it } from "vitest";
import { dlqMessage, parseEvent, serializeEvent } from "../../src/index.js";
import type { RejectKind } from "../../src/index.js";

const NOW = Date.UTC(2026, 0, 10);
const opts = { maxBytes: 1024, maxFutureSkewMs: 60_000 };
const good = {
  schema: 1,
  event_id: "e1",
  user_id: 42,
  item_id: "i9",
  category_id: 7,
  type: "click",
  ts: NOW - 1000,
  source: "device",
  brand_id: "b",
  price: 9.5,
  position: 3,
  extra: "ignored",
};

function reject(v: unknown): { kind: RejectKind; field: string; reason: string } {
  const r = parseEvent(typeof v === "string" ? v : JSON.stringify(v), opts, NOW);
  if (r.ok) throw new Error("expected a rejection");
  return { kind: r.error.kind, field: r.error.field, reason: r.error.reason };
}

describe("parseEvent", () => {
  it("accepts a good event and canonicalises ids", () => {
    const r = parseEvent(Buffer.from(JSON.stringify(good)), opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event.user_id).toBe("42");
    expect(r.event.category_id).toBe("7");
    expect(r.event).not.toHaveProperty("extra");
    expect(parseEvent(serializeEvent(r.event), opts)).toEqual(r);
  });

  it("defaults source to server", () => {
    const { source: _s, ...rest } = good;
    const r = parseEvent(JSON.stringify(rest), opts);
    expect(r.ok && r.event.source).toBe("server");
  });

  it.each([
    ["schema", `{"schema":${"[".repeat(5000)}${"]".repeat(5000)}}`, "schema_version"],
    [
      "event_id",
      `{"schema":1,"user_id":1,"item_id":1,"category_id":1,"ts":${NOW},"type":"click","event_id":${"[".repeat(5000)}${"]".repeat(5000)}}`,
      "wrong_type",
    ],
    [
      "type",
      `{"schema":1,"event_id":1,"user_id":1,"item_id":1,"category_id":1,"ts":${NOW},"type":${"[".repeat(5000)}${"]".repeat(5000)}}`,
      "unknown_type",
    ],
  ])("names a 5,000-deep array in %s without serialising it (10 kB message)", (field, message, kind) => {
    const r = parseEvent(message, {}, NOW);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([r.error.kind, r.error.field]).toEqual([kind, field]);
    expect(r.error.reason.length).toBeLessThan(200);
  });

  it("treats null optional fields as absent", () => {
    const r = parseEvent(
      JSON.stringify({ ...good, brand_id: null, price: null, source: null, position: null }),
      opts,
      NOW,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event).not.toHaveProperty("brand_id");
    expect(r.event).not.toHaveProperty("price");
    expect(r.event.source).toBe("server");
  });

  it("judges the future against the reference time (the Kafka timestamp), not the clock", () => {
    const late = JSON.stringify({ ...good, ts: NOW + 3_600_000 });
    expect(parseEvent(late, opts, NOW).ok).toBe(false);
    expect(parseEvent(late, opts, NOW + 3_600_000).ok).toBe(true);
  });

  it.each<[string, unknown, RejectKind, string]>([
    ["bad json", "{not json", "bad_json", "$"],
    ["array", [1], "not_object", "$"],
    ["missing user", { ...good, user_id: undefined }, "missing_field", "user_id"],
    ["missing ts", { ...good, ts: undefined }, "missing_field", "ts"],
    ["wrong type item", { ...good, item_id: { a: 1 } }, "wrong_type", "item_id"],
    ["wrong type ts", { ...good, ts: "yesterday" }, "wrong_type", "ts"],
    ["negative id", { ...good, item_id: -3 }, "invalid_value", "item_id"],
    ["empty id", { ...good, event_id: "" }, "invalid_value", "event_id"],
    ["control char", { ...good, item_id: "a\nb" }, "invalid_value", "item_id"],
    ["unknown type", { ...good, type: "like" }, "unknown_type", "type"],
    ["bad source", { ...good, source: "tv" }, "invalid_value", "source"],
    ["future", { ...good, ts: NOW + 3_600_000 }, "future_ts", "ts"],
    ["fractional ts", { ...good, ts: NOW - 0.5 }, "wrong_type", "ts"],
    ["before 2000", { ...good, ts: Date.UTC(1999, 11, 31) }, "invalid_value", "ts"],
    ["lone surrogate", { ...good, user_id: "ls\ud800" }, "invalid_value", "user_id"],
    ["position past UInt32", { ...good, position: 2 ** 32 }, "invalid_value", "position"],
    ["schema v2", { ...good, schema: 2 }, "schema_version", "schema"],
    ["no schema", { ...good, schema: undefined }, "missing_field", "schema"],
    ["oversized", { ...good, shop_id: "x".repeat(100), pad: "y".repeat(2000) }, "oversized", "$"],
    ["bad price", { ...good, price: "9" }, "wrong_type", "price"],
  ])("rejects %s", (_name, input, kind, field) => {
    const r = reject(input);
    expect(r.kind).toBe(kind);
    expect(r.field).toBe(field);
    expect(r.reason.length).toBeGreaterThan(5);
  });

  it("rejects invalid UTF-8 and empty values without throwing", () => {
    expect(parseEvent(Buffer.from([0xff, 0xfe, 0x7b]), opts).ok).toBe(false);
    expect(parseEvent(null, opts).ok).toBe(false);
  });

  it("builds a DLQ message with the original bytes and the origin", () => {
    const r = parseEvent("{", opts);
    if (r.ok) throw new Error("unexpected");
    const m = dlqMessage(
      { key: Buffer.from("k"), value: Buffer.from("{") },
      r.error,
      { topic: "t", partition: 2, offset: "17" },
      5,
    );
    expect(m.value?.toString()).toBe("{");
    expect(m.headers).toMatchObject({
      "dlq.reason": "bad_json",
      "dlq.field": "$",
      "dlq.topic": "t",
      "dlq.partition": "2",
      "dlq.offset": "17",
    });
  });
});
