import { join } from "node:path";
import {
  DEFAULT_RULE,
  DEFAULT_WINDOWS,
  SAMPLE_SLOTS,
  TASKS,
  armRows,
  decisionRow,
  evalQuery,
  labelClosedWindows,
  labelledCount,
  labelledPredictions,
  labelledUsers,
  latestDecisions,
  migrate,
  qualified,
  recordDecision,
  shadowCount,
  shadowPairs,
  sql,
  writeModelEval,
} from "@seqlane/warehouse";
import { analystQueries } from "./analysts.js";
import { RecordingWarehouse, type Step } from "./recording-warehouse.js";
import { DAY, dataset } from "./rows.js";

/** What compare.py runs on both engines, in order. */
export interface Plan {
  readonly database: string;
  /** UTC midnight the data was generated around (analyst queries use `today()`). */
  readonly today: number;
  readonly steps: readonly (Step & { readonly expect?: readonly Record<string, unknown>[] })[];
}

const TABLES = [
  "events",
  "events_rejected",
  "predictions",
  "predictions_shadow",
  "outcomes",
  "model_eval",
  "model_decisions",
];

/**
 * Every statement libs/warehouse sends while migrating a fresh database, recording the
 * generated batches, labelling (twice: the second run relabels the overlap) and evaluating,
 * the evaluation queries `seqlane eval` runs, every ```sql block of docs/analysts.md, and
 * check queries that read back what the jobs wrote.
 */
export async function buildPlan(o: { root: string; database: string; now: number }): Promise<Plan> {
  const today = o.now - (o.now % DAY);
  const data = dataset(today);
  // The jobs run as if at the end of today: every earlier day's windows have closed.
  const jobNow = today + DAY;
  const label = { now: jobNow, windows: DEFAULT_WINDOWS, graceMs: 300_000 };
  const w = label.windows;
  const labelTo = jobNow - Math.max(w.clickMs, w.cartMs, w.purchaseMs) - label.graceMs;
  const first = Math.min(...data.predictionTs);
  const done = Math.max(...data.predictionTs.filter((t) => t < labelTo));
  let marks = 0;
  const expected = new Map<number, Record<string, unknown>[]>();
  const answer = (text: string): Record<string, unknown>[] => {
    // The answers a real server gives on these rows; compare.py checks that both engines agree with them.
    const rows = / AS done,/.test(text) ? [{ done: String(marks++ === 0 ? 0 : done), first: String(first) }] : [];
    expected.set(wh.steps.length - 1, rows);
    return rows;
  };
  const wh = new RecordingWarehouse(o.database, answer);
  const db = o.database;
  const check = (text: string): void => wh.add({ kind: "query", sql: text, mustHaveRows: true });

  wh.begin("migrate");
  await migrate(wh, { dir: join(o.root, "infra/clickhouse") });

  // Harness: no background merges, so raw-table counts (duplicates not yet merged away) are
  // the same on both engines whatever their merge timing.
  wh.begin("harness");
  for (const t of TABLES) wh.add({ kind: "command", sql: sql`SYSTEM STOP MERGES ${qualified(db, t)}`.text });

  wh.begin("record");
  for (const b of data.batches) await wh.insert(b.table, b.rows);
  wh.begin("check-record");
  check(`SELECT event_id, user_id, item_id, category_id, brand_id, shop_id, price, type, ts, source, request_id, position,
  schema_version, kafka_partition, kafka_offset, event_time, event_date FROM events_dedup ORDER BY event_id`);
  check(`SELECT request_id, user_id, item_id, model, version, ctr, cvr, ts, position, pred_time, pred_date
FROM predictions_dedup ORDER BY model, version, request_id, item_id`);
  check(`SELECT topic, kafka_partition, kafka_offset, kafka_ts, kafka_key, payload, field, reason, kafka_date
FROM events_rejected FINAL ORDER BY topic, kafka_partition, kafka_offset`);
  check(`SELECT (SELECT count() FROM events) AS events, (SELECT count() FROM predictions) AS predictions`);

  wh.begin("label");
  await labelClosedWindows(wh, label);
  await labelClosedWindows(wh, label);
  wh.begin("check-label");
  check(`SELECT model, version, pred_date, request_id, item_id, user_id, ts, ctr, cvr, position, exposed, click, cart,
  purchase, click_delay_ms, cart_delay_ms, purchase_delay_ms, matched_by
FROM outcomes FINAL ORDER BY model, version, pred_date, request_id, item_id`);
  check(`SELECT count() AS rows_written, uniqExact(model, version, request_id, item_id) AS predictions FROM outcomes`);

  wh.begin("eval");
  await writeModelEval(wh, { now: jobNow, lookbackMs: 16 * DAY });
  wh.begin("check-eval");
  check(`SELECT model, version, task, day, samples, positives, auc, gauc, gauc_users, logloss, ne, calibration,
  mean_predicted, observed_rate, bin_index, bin_count, bin_predicted, bin_observed
FROM model_eval FINAL ORDER BY model, version, task, day`);

  // What `seqlane eval` runs (services/cli/src/commands/eval.ts): per day and pooled, by model and version.
  wh.begin("eval-query");
  const window = { database: db, fromMs: data.days[0] ?? today, toMs: jobNow };
  for (const task of TASKS) {
    for (const f of [{}, { model: "din" }, { model: "din", version: "1" }, { model: "bst" }]) {
      // bst has no cvr head: its cvr evaluation is empty, on both engines.
      const mustHaveRows = !(task === "cvr" && f.model === "bst");
      wh.add({ kind: "query", sql: evalQuery({ ...window, ...f, task }).text, mustHaveRows });
      wh.add({ kind: "query", sql: evalQuery({ ...window, ...f, task, perDay: false }).text, mustHaveRows });
    }
  }
  wh.add({ kind: "query", sql: evalQuery({ ...window, task: "ctr", bins: 4 }).text, mustHaveRows: true });

  // What `seqlane train` reads (services/cli/src/train): the labelled impressions, their count, and
  // the events of their users (clickhouseEvents' filter).
  wh.begin("train-query");
  wh.add({ kind: "query", sql: labelledCount(window).text, mustHaveRows: true });
  wh.add({ kind: "query", sql: labelledPredictions(window).text, mustHaveRows: true });
  wh.add({
    kind: "query",
    sql: sql`SELECT count() AS n FROM ${qualified(db, "events")} WHERE user_id IN (${labelledUsers(window)})`.text,
    mustHaveRows: true,
  });

  // What the canary decision and `seqlane models status` read (libs/warehouse/src/canary): an arm's
  // rows, whole and sampled by user hash, the shadow's count and its pairs with served impressions;
  // then a decision written and read back.
  wh.begin("canary-query");
  for (const keepSlots of [SAMPLE_SLOTS, 5000]) {
    const arm = { ...window, model: "din", version: "2", keepSlots, limit: 100_000 };
    // Fewer rows than the LIMIT: every engine returns them all (compare.py orders them itself).
    wh.add({ kind: "query", sql: armRows(arm).text, mustHaveRows: true });
    const pairs = { ...window, model: "din", shadow: "3", served: "2", keepSlots, limit: 100_000 };
    wh.add({ kind: "query", sql: shadowPairs(pairs).text, mustHaveRows: true });
  }
  wh.add({ kind: "query", sql: shadowCount({ ...window, model: "din", shadow: "3" }).text, mustHaveRows: true });
  wh.begin("decisions");
  const decision = {
    model: "din",
    serving: "2",
    canary: "1",
    share: 0.1,
    fromMs: window.fromMs,
    toMs: window.toMs,
    rule: DEFAULT_RULE,
    by: "job",
    now: jobNow,
  };
  await recordDecision(wh, decisionRow({ ...decision, action: "wait", reason: "too few", applied: false }));
  await recordDecision(
    wh,
    decisionRow({ ...decision, action: "promote", reason: "better", applied: true, now: jobNow + 1 }),
  );
  wh.add({ kind: "query", sql: latestDecisions({ database: db, model: "din", limit: 5 }).text, mustHaveRows: true });

  // docs/analysts.md, verbatim, with the database selected as the analyst's connection does.
  wh.begin("analysts");
  for (const q of analystQueries(join(o.root, "docs/analysts.md"))) {
    wh.add({ kind: "query", id: `analysts: ${q.name}`, sql: q.sql, mustHaveRows: true });
  }

  wh.begin("check-schema");
  check(`SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name`);
  check(
    `SELECT table, name, type, default_kind FROM system.columns WHERE database = currentDatabase() ORDER BY table, name`,
  );
  check(`SELECT version, name, checksum FROM schema_migrations ORDER BY version`);

  const steps = wh.steps.map((s, i) => (expected.has(i) ? { ...s, expect: expected.get(i) } : s));
  return { database: db, today, steps };
}
