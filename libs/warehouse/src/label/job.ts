import { defaults, recorder } from "@seqlane/config";
import { qualified, sql } from "../sql/builder.js";
import type { Warehouse } from "../client/warehouse.js";
import { DEFAULT_WINDOWS, labelInsert, type AttributionWindows } from "./label.js";

export interface LabelJobOptions {
  readonly now?: number;
  readonly windows?: AttributionWindows;
  /** Events may arrive this late after a window closes and still count. Default: SEQLANE_LABEL_GRACE_MS's. */
  readonly graceMs?: number;
  /**
   * Each run relabels this much before the newest labelled prediction, to pick up predictions
   * that were recorded late (parked batches). Default: SEQLANE_LABEL_OVERLAP_MS's. Relabelling is harmless.
   */
  readonly overlapMs?: number;
}

export interface LabelJobResult {
  readonly fromMs: number;
  readonly toMs: number;
  /** False when no prediction had a closed window yet. */
  readonly ran: boolean;
}

const DEFAULTS = defaults(recorder);

/**
 * Labels every prediction whose longest window (plus grace) has closed and that is newer than
 * the last labelled one minus the overlap. Idempotent: a rerun writes identical labels.
 */
export async function labelClosedWindows(wh: Warehouse, o: LabelJobOptions = {}): Promise<LabelJobResult> {
  const w = o.windows ?? DEFAULT_WINDOWS;
  const now = o.now ?? Date.now();
  const toMs = Math.max(0, now - Math.max(w.clickMs, w.cartMs, w.purchaseMs) - (o.graceMs ?? DEFAULTS.labelGraceMs));
  const [mark] = await wh.query<{ done: string; first: string }>(
    sql`SELECT (SELECT max(ts) FROM ${qualified(wh.database, "outcomes")}) AS done,
               (SELECT min(ts) FROM ${qualified(wh.database, "predictions")}) AS first`,
  );
  const done = Number(mark?.done ?? 0);
  const fromMs = done > 0 ? Math.max(0, done - (o.overlapMs ?? DEFAULTS.labelOverlapMs)) : Number(mark?.first ?? 0);
  if (fromMs >= toMs) return { fromMs, toMs, ran: false };
  await wh.command(labelInsert({ database: wh.database, fromMs, toMs, windows: w }));
  return { fromMs, toMs, ran: true };
}
