import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_RULE,
  auc,
  aucWithVariance,
  compareArms,
  compareShadow,
  decisionRow,
  latestDecisions,
  recordDecision,
  type Warehouse,
} from "../../src/index.js";
import { rng } from "../reference.js";
import { freshDatabase } from "./helpers.js";

const T0 = Date.UTC(2026, 10, 20, 6);
const HOUR = 3_600_000;

/** Labelled impressions of one served version: users u<offset..offset+users>, 8 each. */
function outcomes(version: string, users: number, offset: number, noise: number, seed: number) {
  const r = rng(seed);
  const rows = [];
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < 8; i++) {
      const p = r();
      const click = r() < p ? 1 : 0;
      const ts = T0 + Math.floor(r() * 20 * HOUR);
      rows.push({
        model: "din",
        version,
        pred_date: new Date(ts).toISOString().slice(0, 10),
        request_id: `r-${version}-${u}-${i}`,
        item_id: `i${i}`,
        user_id: `u${offset + u}`,
        ts,
        ctr: Math.min(1, Math.max(0, Math.round((p + (r() - 0.5) * noise) * 100) / 100)),
        cvr: null,
        position: null,
        exposed: 1,
        click,
        cart: 0,
        purchase: 0,
        click_delay_ms: null,
        cart_delay_ms: null,
        purchase_delay_ms: null,
        matched_by: "request",
        labelled_at: "2026-11-25 00:00:00",
      });
    }
  }
  return rows;
}

describe("canary figures and decisions on ClickHouse", () => {
  let db: { wh: Warehouse; drop(): Promise<void> };
  const serving = outcomes("3", 300, 0, 0.8, 1);
  const canary = outcomes("4", 150, 1000, 0.2, 2);
  beforeAll(async () => {
    db = await freshDatabase("canary");
    await db.wh.insert("outcomes", [...serving, ...canary]);
    await db.wh.insert("outcomes", serving.slice(0, 100)); // a redelivery: FINAL collapses it
    // version 4 in shadow on the serving arm's impressions: the same request and item.
    await db.wh.insert(
      "predictions_shadow",
      serving.map((o, i) => ({
        request_id: o.request_id,
        user_id: o.user_id,
        item_id: o.item_id,
        model: "din",
        version: "5",
        ctr: canary[i % canary.length]!.ctr,
        cvr: null,
        ts: o.ts,
        position: null,
        kafka_partition: 0,
        kafka_offset: String(i),
      })),
    );
  });
  afterAll(async () => db?.drop());

  const window = { model: "din", serving: "3", canary: "4", fromMs: T0, toMs: T0 + 24 * HOUR };

  it("per arm: every labelled impression counted, AUC and interval computed from the rows", async () => {
    const c = await compareArms(db.wh, { ...window, maxRows: 100_000 });
    expect(c.serving).toMatchObject({ version: "3", samples: serving.length, ciRows: serving.length, ciUsers: 300 });
    expect(c.canary).toMatchObject({ version: "4", samples: canary.length, ciRows: canary.length, ciUsers: 150 });
    const ref = (rows: typeof serving) =>
      aucWithVariance(
        rows.map((o) => o.ctr),
        rows.map((o) => o.click),
        rows.map((o) => Number(o.user_id.slice(1))),
      );
    const s = ref(serving);
    const k = ref(canary);
    expect(
      Math.abs(
        c.serving.auc! -
          auc(
            serving.map((o) => o.ctr),
            serving.map((o) => o.click),
          ),
      ),
    ).toBeLessThan(1e-9);
    expect(Math.abs(c.diff! - (k.auc - s.auc))).toBeLessThan(1e-9);
    const half = 1.959963984540054 * Math.sqrt(s.variance + k.variance);
    expect(Math.abs(c.low! - (k.auc - s.auc - half))).toBeLessThan(1e-9);

    expect(c.diff!).toBeGreaterThan(0.03); // the canary's scores are much less noisy
    expect(c.low!).toBeGreaterThan(0);
  });

  it("bounds the rows read per arm by sampling whole users by hash", async () => {
    const c = await compareArms(db.wh, { ...window, maxRows: 1500 });
    expect(c.serving.samples).toBe(serving.length);
    expect(c.serving.ciRows).toBeLessThanOrEqual(1500);
    expect(c.serving.ciRows).toBeGreaterThan(900);
    expect(c.serving.ciRows % 8).toBe(0); // every impression of each sampled user
    expect(c.canary.ciRows).toBe(canary.length);
  });

  it("an arm without rows gives no AUC and no interval", async () => {
    const c = await compareArms(db.wh, { ...window, canary: "9", maxRows: 1000 });
    expect(c.canary).toMatchObject({ samples: 0, auc: null, ciRows: 0 });
    expect([c.diff, c.low, c.high]).toEqual([null, null, null]);
  });

  it("a shadow version is compared on the impressions it shadowed, paired", async () => {
    const s = await compareShadow(db.wh, {
      model: "din",
      shadow: "5",
      served: "3",
      fromMs: T0,
      toMs: T0 + 24 * HOUR,
      maxRows: 100_000,
    });
    expect(s.pairs).toBe(serving.length);
    expect(s.users).toBe(300);
    expect(
      Math.abs(
        s.servedFigures.auc! -
          auc(
            serving.map((o) => o.ctr),
            serving.map((o) => o.click),
          ),
      ),
    ).toBeLessThan(1e-9);
    const shadowScores = serving.map((_, i) => canary[i % canary.length]!.ctr);
    expect(
      Math.abs(
        s.shadowFigures.auc! -
          auc(
            shadowScores,
            serving.map((o) => o.click),
          ),
      ),
    ).toBeLessThan(1e-9);
    expect(s.low!).toBeLessThan(s.diff!);
    const none = await compareShadow(db.wh, { model: "din", shadow: "6", fromMs: T0, toMs: T0 + HOUR, maxRows: 10 });
    expect(none).toMatchObject({ pairs: 0, diff: null });
  });

  it("records decisions and reads the latest back", async () => {
    const figures = await compareArms(db.wh, { ...window, maxRows: 100_000 });
    const base = {
      model: "din",
      serving: "3",
      canary: "4",
      share: 0.5,
      fromMs: window.fromMs,
      toMs: window.toMs,
      rule: DEFAULT_RULE,
      by: "job",
    };
    await recordDecision(
      db.wh,
      decisionRow({ ...base, action: "wait", reason: "too few", figures, applied: false, now: T0 + 1 }),
    );
    await recordDecision(
      db.wh,
      decisionRow({ ...base, action: "promote", reason: "better", figures, applied: true, now: T0 + 2 }),
    );
    await recordDecision(
      db.wh,
      decisionRow({ ...base, model: "bst", action: "canary", reason: "started", applied: true, now: T0 + 3 }),
    );
    const [latest] = await db.wh.query<Record<string, unknown>>(
      latestDecisions({ database: db.wh.database, model: "din" }),
    );
    expect(latest).toMatchObject({
      action: "promote",
      reason: "better",
      decided_by: "job",
      serving_version: "3",
      canary_version: "4",
      applied: 1,
    });
    expect(latest!.auc_diff).toBeCloseTo(figures.diff!, 12);
    expect(JSON.parse(String(latest!.rule))).toEqual(DEFAULT_RULE);
    expect(latest!.decided_at).toBe("2026-11-20 06:00:00");
    const [bst] = await db.wh.query<Record<string, unknown>>(
      latestDecisions({ database: db.wh.database, model: "bst" }),
    );
    expect(bst).toMatchObject({ action: "canary", serving_auc: null, auc_diff: null });
  });
});
