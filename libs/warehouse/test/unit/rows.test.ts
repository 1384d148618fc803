import { describe, expect, it } from "vitest";
import { SHADOW_TABLE, toEventRow, toPredictionRow, type KafkaCoordinates } from "../../src/index.js";

const at: KafkaCoordinates = {
  topic: "behavior-events",
  partition: 2,
  offset: "41",
  timestamp: "1700000000000",
  key: "u1",
};
const event = {
  event_id: "e1",
  user_id: 7,
  item_id: "i1",
  category_id: 3,
  type: "click",
  ts: 1_700_000_000_000,
  source: "device",
  schema: 1,
};

describe("row mapping", () => {
  it("canonicalises ids to strings and fills optional fields", () => {
    const m = toEventRow(JSON.stringify(event), at);
    expect(m).toEqual({
      ok: true,
      row: {
        event_id: "e1",
        user_id: "7",
        item_id: "i1",
        category_id: "3",
        brand_id: "",
        shop_id: "",
        price: null,
        type: "click",
        ts: 1_700_000_000_000,
        source: "device",
        request_id: "",
        position: null,
        schema_version: 1,
        kafka_partition: 2,
        kafka_offset: "41",
      },
    });
  });

  it("rejects with the field and reason, keeping the original bytes", () => {
    const cases: [unknown, string][] = [
      [{ ...event, type: "view" }, "type"],
      [{ ...event, user_id: -1 }, "user_id"],
      [{ ...event, ts: "yesterday" }, "ts"],
      [{ ...event, price: -3 }, "price"],
      [{ ...event, schema: 2 }, "schema"],
      [[1, 2], "$"],
    ];
    for (const [value, field] of cases) {
      const m = toEventRow(JSON.stringify(value), at);
      expect(m.ok).toBe(false);
      if (!m.ok) {
        expect(m.rejected.field).toBe(field);
        expect(m.rejected.payload).toBe(JSON.stringify(value));
        expect(m.rejected.kafka_offset).toBe("41");
      }
    }
    const bad = toEventRow(Buffer.from("{not json"), at);
    expect(bad.ok === false && bad.rejected.field).toBe("$");
    expect(bad.ok === false && bad.rejected.reason).toMatch(/^bad_json: not valid JSON/);
    expect(toEventRow(null, at).ok).toBe(false);
  });

  it("maps predictions, cvr optional, version canonicalised", () => {
    const p = { request_id: "r", user_id: 1, item_id: 2, model: "din", version: 3, ctr: 0.1, cvr: null, ts: 5 };
    const m = toPredictionRow(JSON.stringify(p), { ...at, topic: "predictions" });
    expect(m.ok && m.row).toMatchObject({ user_id: "1", item_id: "2", version: "3", cvr: null, position: null });
    const bad = toPredictionRow(JSON.stringify({ ...p, ctr: 1.5 }), at);
    expect(bad.ok === false && bad.rejected.field).toBe("ctr");
  });

  it("sends shadow predictions (v2, shadow: true) to predictions_shadow, with the same columns", () => {
    const p = { request_id: "r", user_id: 1, item_id: 2, model: "din", version: 5, ctr: 0.1, ts: 5 };
    const served = toPredictionRow(JSON.stringify(p), at);
    const shadow = toPredictionRow(JSON.stringify({ ...p, schema: 2, shadow: true }), at);
    const v2served = toPredictionRow(JSON.stringify({ ...p, schema: 2, shadow: false }), at);
    expect(served.ok && served.table).toBeUndefined();
    expect(v2served.ok && v2served.table).toBeUndefined();
    expect(shadow.ok && shadow.table).toBe(SHADOW_TABLE);
    expect(shadow.ok && Object.keys(shadow.row)).toEqual(served.ok && Object.keys(served.row));
  });
});
