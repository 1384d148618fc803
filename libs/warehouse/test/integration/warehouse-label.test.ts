import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labelClosedWindows, labelInsert, sql, type Warehouse } from "../../src/index.js";
import { freshDatabase } from "./helpers.js";

const T = Date.UTC(2026, 10, 20, 12);
const MIN = 60_000;
const windows = { clickMs: 30 * MIN, cartMs: 24 * 60 * MIN, purchaseMs: 24 * 60 * MIN };

const pred = (request_id: string, user_id: string, item_id: string, ts: number, model = "din") => ({
  request_id,
  user_id,
  item_id,
  model,
  version: "1",
  ctr: 0.1,
  cvr: 0.05,
  ts,
  position: 0,
  kafka_partition: 0,
  kafka_offset: "0",
});
const ev = (event_id: string, user_id: string, item_id: string, type: string, ts: number, request_id = "") => ({
  event_id,
  user_id,
  item_id,
  category_id: "c",
  brand_id: "",
  shop_id: "",
  price: null,
  type,
  ts,
  source: "server",
  request_id,
  position: null,
  schema_version: 1,
  kafka_partition: 0,
  kafka_offset: "0",
});

interface Out {
  request_id: string;
  model: string;
  click: number;
  cart: number;
  purchase: number;
  exposed: number;
  click_delay_ms: string | null;
  matched_by: string;
}

describe("outcome labelling", () => {
  let db: { wh: Warehouse; drop(): Promise<void> };
  beforeAll(async () => {
    db = await freshDatabase("label");
  });
  afterAll(async () => db?.drop());

  const labels = async (): Promise<Out[]> =>
    db.wh.query<Out>(sql`SELECT request_id, model, click, cart, purchase, exposed, click_delay_ms, matched_by
      FROM outcomes_dedup ORDER BY request_id, model`);

  it("attributes by request_id + item, else by user + item + time, within each window", async () => {
    await db.wh.insert("predictions", [
      pred("r1", "u1", "a", T), // click with r1 after 5 min; purchase by time after 2 h
      pred("r1", "u1", "a", T, "bst"), // the same request scored by a second model
      pred("r2", "u1", "b", T), // click by time at 40 min: outside the 30 min click window
      pred("r3", "u2", "a", T), // click carrying another request's id: not attributed
      pred("r4", "u2", "c", T), // click by time before the prediction: not attributed
      pred("r5", "u3", "d", T), // exposure + cart by time; no click
      pred("r6", "u3", "e", T), // nothing
    ]);
    const events = [
      ev("e1", "u1", "a", "click", T + 5 * MIN, "r1"),
      ev("e2", "u1", "a", "purchase", T + 120 * MIN),
      ev("e3", "u1", "b", "click", T + 40 * MIN),
      ev("e4", "u2", "a", "click", T + 1 * MIN, "r-other"),
      ev("e5", "u2", "c", "click", T - 1 * MIN),
      ev("e6", "u3", "d", "exposure", T + 1000),
      ev("e7", "u3", "d", "cart", T + 60 * MIN),
    ];
    await db.wh.insert("events", events);
    await db.wh.insert("events", events); // redelivered
    await db.wh.command(labelInsert({ database: db.wh.database, fromMs: T - MIN, toMs: T + MIN, windows }));
    expect(await labels()).toEqual([
      {
        request_id: "r1",
        model: "bst",
        click: 1,
        cart: 0,
        purchase: 1,
        exposed: 0,
        click_delay_ms: "300000",
        matched_by: "request",
      },
      {
        request_id: "r1",
        model: "din",
        click: 1,
        cart: 0,
        purchase: 1,
        exposed: 0,
        click_delay_ms: "300000",
        matched_by: "request",
      },
      {
        request_id: "r2",
        model: "din",
        click: 0,
        cart: 0,
        purchase: 0,
        exposed: 0,
        click_delay_ms: null,
        matched_by: "none",
      },
      {
        request_id: "r3",
        model: "din",
        click: 0,
        cart: 0,
        purchase: 0,
        exposed: 0,
        click_delay_ms: null,
        matched_by: "none",
      },
      {
        request_id: "r4",
        model: "din",
        click: 0,
        cart: 0,
        purchase: 0,
        exposed: 0,
        click_delay_ms: null,
        matched_by: "none",
      },
      {
        request_id: "r5",
        model: "din",
        click: 0,
        cart: 1,
        purchase: 0,
        exposed: 1,
        click_delay_ms: null,
        matched_by: "time",
      },
      {
        request_id: "r6",
        model: "din",
        click: 0,
        cart: 0,
        purchase: 0,
        exposed: 0,
        click_delay_ms: null,
        matched_by: "none",
      },
    ]);
  });

  it("the repeatable job labels closed windows only, and rerunning it changes nothing", async () => {
    await db.wh.insert("predictions", [
      pred("r7", "u9", "z", T + 10 * MIN),
      pred("late", "u9", "y", T + 2 * 24 * 60 * MIN),
    ]);
    await db.wh.insert("events", [ev("e9", "u9", "z", "click", T + 12 * MIN)]);
    const now = T + 26 * 60 * MIN; // windows of T+10min closed (24 h + 5 min grace), "late" not
    const first = await labelClosedWindows(db.wh, { now, windows });
    expect(first.ran).toBe(true);
    const once = await labels();
    expect(once.map((o) => o.request_id)).toContain("r7");
    expect(once.map((o) => o.request_id)).not.toContain("late");
    expect(once.find((o) => o.request_id === "r7")?.click).toBe(1);
    await labelClosedWindows(db.wh, { now, windows });
    await labelClosedWindows(db.wh, { now, windows });
    expect(await labels()).toEqual(once);
    const [n] = await db.wh.query<{ n: string }>(sql`SELECT count() AS n FROM outcomes FINAL`);
    expect(Number(n?.n)).toBe(once.length);
  });
});
