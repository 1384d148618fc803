import { describe, expect, it } from "vitest";
import { silentLogger } from "@seqlane/models";
import { applyItemMessage, ItemCatalog, PredictionLog, type PredictionRow } from "../../src/index.js";

const row = (i: number): PredictionRow => ({
  request_id: "r",
  user_id: "u",
  item_id: String(i),
  model: "m",
  version: "1",
  ctr: 0.5,
  cvr: null,
  ts: 1,
});

describe("PredictionLog", () => {
  it("batches rows to the sink off the caller's path", async () => {
    const sent: PredictionRow[][] = [];
    const log = new PredictionLog(
      { send: async (rows) => void sent.push([...rows]) },
      { maxRows: 100, batchRows: 4, flushMs: 10 },
      silentLogger,
    );
    log.push([row(1), row(2), row(3)]);
    expect(sent).toEqual([]);
    log.push([row(4), row(5)]);
    await log.close();
    expect(sent.flat().map((r) => r.item_id)).toEqual(["1", "2", "3", "4", "5"]);
    expect(log.dropCount).toBe(0);
  });
  it("is bounded: a stuck sink makes it drop (and count) instead of growing", async () => {
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    const log = new PredictionLog({ send: () => stuck }, { maxRows: 10, batchRows: 5, flushMs: 5 }, silentLogger);
    for (let i = 0; i < 100; i++) log.push([row(i)]);
    expect(log.size).toBeLessThanOrEqual(10);
    expect(log.dropCount).toBe(100 - 10 - 5);
    release();
    await log.close(1000);
  });
  it("keeps rows of a failed send when there is room", async () => {
    let fail = true;
    const sent: PredictionRow[] = [];
    const log = new PredictionLog(
      { send: async (rows) => (fail ? Promise.reject(new Error("down")) : void sent.push(...rows)) },
      { maxRows: 10, batchRows: 10, flushMs: 5 },
      silentLogger,
    );
    log.push([row(1), row(2)]);
    await log.flush();
    fail = false;
    await log.close(1000);
    expect(sent.map((r) => r.item_id)).toEqual(["1", "2"]);
  });
});

describe("items topic messages", () => {
  it("upserts by item_id, tombstones delete, junk is refused", () => {
    const c = new ItemCatalog();
    expect(
      applyItemMessage(
        c,
        Buffer.from("7"),
        Buffer.from(JSON.stringify({ item_id: 7, category_id: "c1", brand_id: "b", price: 3 })),
      ),
    ).toBeUndefined();
    expect(c.get(7)).toEqual({ categoryId: "c1", brandId: "b" });
    expect(c.get("7")).toEqual({ categoryId: "c1", brandId: "b" });
    expect(applyItemMessage(c, Buffer.from("7"), null)).toBeUndefined();
    expect(c.get(7)).toBeUndefined();
    expect(applyItemMessage(c, Buffer.from("8"), Buffer.from("{not json"))).toMatchObject({ field: "$" });
    expect(applyItemMessage(c, Buffer.from("8"), Buffer.from('{"category_id":-1}'))).toEqual({
      field: "category_id",
      reason: "must be >= 0, got -1",
    });
    expect(applyItemMessage(c, null, Buffer.from('{"category_id":1}'))).toMatchObject({ field: "item_id" });
    expect(c.get(8)).toBeUndefined();
  });
});
