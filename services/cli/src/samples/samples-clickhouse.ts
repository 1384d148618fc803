import type { Manifest } from "@seqlane/features";
import type { RejectKind } from "@seqlane/events";
import { ItemCatalog, loadCatalogFromClickHouse } from "@seqlane/scorer";
import { createReplayer, type ApplyOptions, type SequenceSpec } from "@seqlane/sequences";
import {
  labelledPredictions,
  labelledUsers,
  type LabelledRow,
  type LabelledWindow,
  type Warehouse,
} from "@seqlane/warehouse";
import { clickhouseEvents } from "../replay/clickhouse-events.js";
import { SampleRows } from "./rows.js";

export interface ClickHouseSamplesSummary {
  readonly rows: number;
  readonly positives: { click: number; cart: number; purchase: number };
  readonly users: number;
  /** Events read (of the predicted users), and those that failed the event contract. */
  readonly events: number;
  readonly invalid: Partial<Record<RejectKind, number>>;
}

export interface ClickHouseSamplesOptions extends ApplyOptions {
  /** Called now and then while events stream: (events read, rows written). */
  readonly onProgress?: (events: number, rows: number) => void;
  /** Events between two onProgress calls. Default 100 000. */
  readonly progressEvery?: number;
}

interface Pending {
  readonly rows: LabelledRow[];
  next: number;
}

/**
 * Point-in-time training samples from ClickHouse: one row per labelled prediction of the window
 * (libs/warehouse's labelledPredictions: outcomes FINAL, as evaluation reads them), with the
 * user's sequences as the scorer saw them when it scored — the recorded events of that user
 * replayed in Kafka order (clickhouseEvents, the same as `seqlane replay --from-clickhouse`)
 * through the ingest's apply(), cut just before the first event at or after the prediction's
 * time. Everything before the cut happened strictly before the prediction; an event stamped
 * earlier that arrives after the cut reached Kafka after something that happened after the
 * prediction, so the scorer could not have seen it either. Candidate category and brand come
 * from the scorer's own ClickHouse catalogue (each item's latest in the events table), the
 * fill-in the scorer uses when a request leaves them out. The tensors are SampleRows'.
 */
export async function samplesFromClickHouse(
  wh: Warehouse,
  window: Omit<LabelledWindow, "database">,
  outDir: string,
  manifest: Manifest,
  spec: SequenceSpec,
  opts: ClickHouseSamplesOptions = {},
): Promise<ClickHouseSamplesSummary> {
  const w: LabelledWindow = { database: wh.database, ...window };
  const byUser = new Map<string, Pending>();
  for await (const r of wh.stream<LabelledRow>(labelledPredictions(w))) {
    let p = byUser.get(r.user_id);
    if (p === undefined) byUser.set(r.user_id, (p = { rows: [], next: 0 }));
    p.rows.push(r);
  }
  // Oldest first per user, so a cut emits a prefix; ties in a fixed order for reproducible files.
  for (const p of byUser.values())
    p.rows.sort(
      (a, b) => Number(a.pred_ts) - Number(b.pred_ts) || cmp(a.request_id, b.request_id) || cmp(a.item_id, b.item_id),
    );

  const catalog = new ItemCatalog();
  await loadCatalogFromClickHouse(wh, catalog);
  const replayer = createReplayer(spec, opts);
  const out = new SampleRows(manifest, outDir);
  const emit = async (user: string, p: Pending, beforeTs: number): Promise<void> => {
    const state = replayer.states.get(user);
    while (p.next < p.rows.length && Number(p.rows[p.next]!.pred_ts) <= beforeTs) {
      const r = p.rows[p.next++]!;
      const item = catalog.get(r.item_id);
      await out.append({
        userId: user,
        state,
        candidate: { itemId: r.item_id, categoryId: item?.categoryId, brandId: item?.brandId },
        position: r.position ?? undefined,
        ts: Number(r.pred_ts),
        labels: [Number(r.click), Number(r.cart), Number(r.purchase)],
      });
    }
  };

  const invalid: Partial<Record<RejectKind, number>> = {};
  const every = opts.progressEvery ?? 100_000;
  let events = 0;
  for await (const e of clickhouseEvents(wh, { users: labelledUsers(w) })) {
    if (++events % every === 0) opts.onProgress?.(events, out.rows);
    if (!e.ok) {
      invalid[e.error.kind] = (invalid[e.error.kind] ?? 0) + 1;
      continue;
    }
    const p = byUser.get(e.event.user_id);
    if (p !== undefined) await emit(e.event.user_id, p, e.event.ts);
    replayer.push(e.event);
  }
  for (const [user, p] of byUser) await emit(user, p, Number.POSITIVE_INFINITY);
  await out.close(`clickhouse:${wh.database}.outcomes ${iso(w.fromMs)}..${iso(w.toMs)}`);
  return { rows: out.rows, positives: out.positives, users: byUser.size, events, invalid };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const iso = (ms: number): string => new Date(ms).toISOString();
