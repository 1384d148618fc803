import type { Warehouse } from "../client/warehouse.js";
import { evalInsert, TASKS } from "./queries.js";

export interface EvalJobOptions {
  readonly now?: number;
  /** Days (UTC) touched by the last `lookbackMs` are recomputed. Default 2 days. */
  readonly lookbackMs?: number;
  readonly model?: string;
}

/**
 * Writes `model_eval` rows for every model, version, task and UTC day in the lookback, from
 * labelled outcomes. Recomputing a day replaces its row (ReplacingMergeTree by computed_at).
 */
export async function writeModelEval(wh: Warehouse, o: EvalJobOptions = {}): Promise<{ fromMs: number; toMs: number }> {
  const toMs = o.now ?? Date.now();
  const since = toMs - (o.lookbackMs ?? 2 * 86_400_000);
  const fromMs = Math.max(0, since - (since % 86_400_000));
  for (const task of TASKS) {
    await wh.command(
      evalInsert({ database: wh.database, task, fromMs, toMs, ...(o.model === undefined ? {} : { model: o.model }) }),
    );
  }
  return { fromMs, toMs };
}
