import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auc,
  calibration,
  evalInsert,
  evalQuery,
  logloss,
  normalizedEntropy,
  reliabilityBins,
  sql,
  type EvalRow,
  type Warehouse,
} from "../../src/index.js";
import { pairwiseAuc, referenceGauc, rng } from "../reference.js";
import { freshDatabase } from "./helpers.js";

const DAY = 86_400_000;
const DAY0 = Date.UTC(2026, 10, 20);

interface Outcome {
  model: string;
  version: string;
  user_id: string;
  ts: number;
  ctr: number;
  cvr: number | null;
  click: number;
  purchase: number;
}

/** Outcomes on a coarse score grid (ties), 2 models x 2 versions x 2 days, some single-class users. */
function sample(seed: number): Outcome[] {
  const r = rng(seed);
  const out: Outcome[] = [];
  for (const [model, version] of [
    ["din", "1"],
    ["din", "2"],
    ["bst", "7"],
  ] as const) {
    for (let day = 0; day < 2; day++) {
      const n = 300 + Math.floor(r() * 400);
      for (let i = 0; i < n; i++) {
        const ctr = Math.floor(r() * 11) / 10;
        const click = r() < 0.1 + 0.5 * ctr ? 1 : 0;
        const cvr = r() < 0.2 ? null : Math.floor(r() * 6) / 5;
        out.push({
          model,
          version,
          ts: DAY0 + day * DAY + Math.floor(r() * DAY),
          user_id: `u${Math.floor(r() * 25)}`,
          ctr,
          cvr,
          click,
          purchase: click && cvr !== null && r() < 0.2 + 0.5 * cvr ? 1 : 0,
        });
      }
    }
  }
  return out;
}

describe("evaluation SQL on ClickHouse equals the reference", () => {
  let db: { wh: Warehouse; drop(): Promise<void> };
  const data = sample(42);
  beforeAll(async () => {
    db = await freshDatabase("eval");
    const rows = data.map((o, i) => ({
      ...o,
      pred_date: new Date(o.ts).toISOString().slice(0, 10),
      request_id: `r${i}`,
      item_id: `i${i}`,
      position: null,
      exposed: 1,
      cart: 0,
      click_delay_ms: null,
      cart_delay_ms: null,
      purchase_delay_ms: null,
      matched_by: "none",
      labelled_at: "2026-11-25 00:00:00",
    }));
    await db.wh.insert("outcomes", rows);
    // At-least-once: a third of the rows again; answers must not change before any merge.
    await db.wh.insert(
      "outcomes",
      rows.filter((_, i) => i % 3 === 0),
    );
  });
  afterAll(async () => db?.drop());

  for (const task of ["ctr", "cvr"] as const) {
    it(`${task}: AUC, GAUC to 1e-9; logloss, NE, calibration, bins`, async () => {
      const got = await db.wh.query<EvalRow>(
        evalQuery({ database: db.wh.database, task, fromMs: DAY0, toMs: DAY0 + 2 * DAY }),
      );
      expect(got.length).toBe(6);
      for (const row of got) {
        const group = data.filter(
          (o) =>
            o.model === row.model &&
            o.version === row.version &&
            new Date(o.ts).toISOString().slice(0, 10) === row.day &&
            (task === "ctr" || (o.click === 1 && o.cvr !== null)),
        );
        const scores = group.map((o) => (task === "ctr" ? o.ctr : (o.cvr as number)));
        const labels = group.map((o) => (task === "ctr" ? o.click : o.purchase));
        expect(Number(row.samples)).toBe(group.length);
        expect(Number(row.positives)).toBe(labels.reduce((a, b) => a + b, 0));
        const want = pairwiseAuc(scores, labels);
        expect(Math.abs((row.auc as number) - want)).toBeLessThan(1e-9);
        expect(Math.abs((row.auc as number) - auc(scores, labels))).toBeLessThan(1e-9);
        const wantG = referenceGauc(
          group.map((o) => o.user_id),
          scores,
          labels,
        );
        expect(Math.abs((row.gauc as number) - wantG)).toBeLessThan(1e-9);
        expect(Math.abs((row.logloss as number) - logloss(scores, labels))).toBeLessThan(1e-9);
        expect(Math.abs((row.ne as number) - normalizedEntropy(scores, labels))).toBeLessThan(1e-9);
        expect(Math.abs((row.calibration as number) - calibration(scores, labels))).toBeLessThan(1e-9);
        const bins = reliabilityBins(scores, labels);
        expect(row.bin_index).toEqual(bins.map((b) => b.bin));
        expect(row.bin_count.map(Number)).toEqual(bins.map((b) => b.count));
        row.bin_observed.forEach((v, i) => expect(Math.abs(v - (bins[i]?.observedRate ?? -1))).toBeLessThan(1e-9));
      }
    });
  }

  it("single-class groups give NULL AUC/GAUC/NE, not a number", async () => {
    const rows = [0.2, 0.4, 0.4].map((ctr, i) => ({
      model: "solo",
      version: "1",
      pred_date: "2026-11-20",
      request_id: `s${i}`,
      item_id: "x",
      user_id: `v${i}`,
      ts: DAY0 + i,
      ctr,
      cvr: null,
      position: null,
      exposed: 0,
      click: 0,
      cart: 0,
      purchase: 0,
      click_delay_ms: null,
      cart_delay_ms: null,
      purchase_delay_ms: null,
      matched_by: "none",
      labelled_at: "2026-11-25 00:00:00",
    }));
    await db.wh.insert("outcomes", rows);
    const [row] = await db.wh.query<EvalRow>(
      evalQuery({ database: db.wh.database, task: "ctr", model: "solo", fromMs: DAY0, toMs: DAY0 + DAY }),
    );
    expect(row).toMatchObject({ auc: null, gauc: null, ne: null, calibration: null, gauc_users: "0" });
    expect(row?.logloss).toBeCloseTo(logloss([0.2, 0.4, 0.4], [0, 0, 0]), 9);
  });

  it("whole-window rows and model_eval inserts replace, not add", async () => {
    const f = {
      database: db.wh.database,
      task: "ctr" as const,
      model: "din",
      fromMs: DAY0,
      toMs: DAY0 + 2 * DAY,
      perDay: false,
    };
    const [whole] = await db.wh.query<EvalRow>(evalQuery({ ...f, version: "1" }));
    const group = data.filter((o) => o.model === "din" && o.version === "1");
    expect(
      Math.abs(
        (whole?.auc as number) -
          auc(
            group.map((o) => o.ctr),
            group.map((o) => o.click),
          ),
      ),
    ).toBeLessThan(1e-9);
    await db.wh.command(evalInsert({ ...f, perDay: true }));
    await db.wh.command(evalInsert({ ...f, perDay: true }));
    const rows = await db.wh.query<{ n: string }>(sql`SELECT count() AS n FROM model_eval_latest WHERE model = 'din'`);
    expect(rows[0]?.n).toBe("4");
  });

  it("refuses unsafe inputs before any SQL is sent", () => {
    expect(() => evalQuery({ database: db.wh.database, task: "ctr", model: "x' OR 1=1", fromMs: 0, toMs: 1 })).toThrow(
      /model/,
    );
    expect(() => evalQuery({ database: "a;b", task: "ctr", fromMs: 0, toMs: 1 })).toThrow(/identifier/);
    expect(() => evalQuery({ database: "ok", task: "ctr", fromMs: -5, toMs: 1 })).toThrow(/fromMs/);
  });
});
