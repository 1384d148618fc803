import { serializeEvent, type BehaviourEvent, type PredictionMessage } from "@seqlane/events";
import { SHADOW_TABLE, toEventRow, toPredictionRow, type KafkaCoordinates, type RejectedRow } from "@seqlane/warehouse";

export const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;

/** One insert as the recorder's sink makes it: a topic batch's rows, then its rejected rows. */
export interface Batch {
  readonly table: "events" | "predictions" | "predictions_shadow" | "events_rejected";
  readonly rows: readonly object[];
}

export interface Dataset {
  readonly batches: readonly Batch[];
  /** Scoring times of every prediction (the labelling job's high-water marks derive from them). */
  readonly predictionTs: readonly number[];
  /** UTC midnights of the days with rows, ascending. */
  readonly days: readonly number[];
}

/** mulberry32: small, seedable, the same stream on every platform. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const round2 = (x: number): number => Math.round(Math.min(1, Math.max(0, x)) * 100) / 100;
const ymd = (d: number): string => new Date(d).toISOString().slice(0, 10).replaceAll("-", "");

/**
 * The days that the queries look at: 2026-11-18..28 (analyst query 2 names 2026-11-20..27)
 * and the 16 days up to `today` (the others are relative to `today()`).
 */
function daysFor(today: number): number[] {
  const set = new Set<number>();
  for (let d = Date.UTC(2026, 10, 18); d <= Date.UTC(2026, 10, 28); d += DAY) set.add(d);
  for (let i = 15; i >= 0; i--) set.add(today - i * DAY);
  return [...set].sort((a, b) => a - b);
}

/**
 * A deterministic warehouse: 8 scoring requests a day of 4 items each, scored by din v2 (with
 * a cvr head) and bst v1 (without; NULL cvr), some days also by din v1; exposures, clicks,
 * carts, purchases and favs attributed by request_id, by time only, late (outside the window)
 * or to another request; din v3 in shadow beside din v2 (prediction v2, shadow: true, into
 * predictions_shadow); background clicks (sequence lengths 0 to 100+); messages the
 * recorder rejects; and a redelivery of some messages in later batches (duplicates that only
 * FINAL collapses). Each day's rows depend only on that day. `today` is a UTC midnight.
 */
export function dataset(today: number): Dataset {
  const days = daysFor(today);
  const offsets = new Map<string, number>();
  const at = (topic: string, key: string, timestamp: number): KafkaCoordinates => {
    const partition = [...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 3;
    const slot = `${topic}/${partition}`;
    const offset = offsets.get(slot) ?? 0;
    offsets.set(slot, offset + 1);
    return { topic, partition, offset: String(offset), timestamp: String(timestamp), key };
  };
  const batches: Batch[] = [];
  const predictionTs: number[] = [];
  const resentEvents: object[] = [];
  const resentPredictions: object[] = [];
  for (const day of days) {
    const r = rng(Number(ymd(day)));
    const dayNo = Math.round(day / DAY);
    const recent = today - day <= DAY; // yesterday and today: a new user, a single din version
    const events: object[] = [];
    const predictions: object[] = [];
    const shadows: object[] = [];
    const rejected: RejectedRow[] = [];
    const event = (e: Omit<BehaviourEvent, "schema" | "event_id" | "source">): void => {
      const full: BehaviourEvent = {
        schema: 1,
        event_id: `e${ymd(day)}-${events.length}`,
        source: r() < 0.3 ? "device" : "server",
        ...e,
      };
      const m = toEventRow(serializeEvent(full), at("behavior-events", full.user_id, full.ts + 200));
      if (!m.ok) throw new Error(`generated event rejected: ${m.rejected.reason}`);
      events.push(m.row);
      if (r() < 0.06) resentEvents.push(m.row);
    };
    for (let j = 0; j < 8; j++) {
      const user = recent && j === 7 ? "u6" : `u${(j + dayNo) % 6}`;
      const requestId = `r${ymd(day)}-${j}`;
      const reqTs = day + Math.round((1 + 2.5 * j) * HOUR) + Math.floor(r() * 50) * MIN;
      const models: [string, string, boolean][] = [
        ["din", "2", true],
        ["bst", "1", false],
      ];
      if (!recent && dayNo % 3 === 0) models.push(["din", "1", true]);
      for (let k = 0; k < 4; k++) {
        const item = (j * 4 + k + dayNo * 3) % 24;
        const p = 0.05 + 0.6 * r();
        for (const [mi, [model, version, hasCvr]] of models.entries()) {
          const noise = model === "bst" ? 0.5 : version === "1" ? 0.35 : 0.2;
          const msg: PredictionMessage & { position?: number } = {
            request_id: requestId,
            user_id: user,
            item_id: `i${item}`,
            model,
            version,
            ctr: round2(p + (r() - 0.5) * noise),
            cvr: hasCvr ? round2(0.05 + 0.4 * r()) : null,
            ts: reqTs + mi,
            ...(j === 6 ? {} : { position: k + 4 * (j % 3) }),
          };
          const m = toPredictionRow(JSON.stringify(msg), at("predictions", requestId, msg.ts + 50));
          if (!m.ok) throw new Error(`generated prediction rejected: ${m.rejected.reason}`);
          predictions.push(m.row);
          predictionTs.push(msg.ts);
          if (r() < 0.04) resentPredictions.push(m.row);
          if (model === "din" && version === "2") {
            // Its shadow: derived from the served score, so the random stream stays as it was.
            const shadow = { ...msg, schema: 2, shadow: true, version: "3", ctr: round2(0.9 - 0.8 * msg.ctr) };
            const s = toPredictionRow(JSON.stringify(shadow), at("predictions", requestId, msg.ts + 60));
            if (!s.ok || s.table !== SHADOW_TABLE)
              throw new Error("generated shadow prediction not routed to its table");
            shadows.push(s.row);
          }
        }
        const base = {
          user_id: user,
          item_id: `i${item}`,
          category_id: `c${item % 6}`,
          ...(item % 4 === 0 ? {} : { brand_id: `b${item % 4}` }),
          ...(item % 5 === 0 ? {} : { shop_id: `s${item % 5}` }),
        };
        if (r() < 0.9)
          event({
            ...base,
            type: "exposure",
            ts: reqTs + 1000 + k * 10,
            ...(r() < 0.2 ? {} : { request_id: requestId }),
          });
        if (r() < p) {
          const late = r() < 0.1;
          const clickTs = reqTs + (late ? 35 * MIN + Math.floor(r() * 25 * MIN) : 2000 + Math.floor(r() * 25 * MIN));
          const how = r();
          const req = how < 0.6 ? { request_id: requestId } : how < 0.9 ? {} : { request_id: `r-other-${j}` };
          event({ ...base, ...req, type: "click", ts: clickTs, position: k });
          if (r() < 0.4) event({ ...base, ...req, type: "cart", ts: clickTs + MIN + Math.floor(r() * 300 * MIN) });
          if (r() < 0.35) {
            const price = r() < 0.15 ? {} : { price: Math.round(r() * 20_000) / 100 };
            event({
              ...base,
              ...req,
              ...price,
              type: "purchase",
              ts: clickTs + 10 * MIN + Math.floor(r() * 30 * HOUR),
            });
          }
          if (r() < 0.2) event({ ...base, type: "fav", ts: clickTs + 5000 });
        }
      }
    }
    // Background clicks: u0 clicks a lot (100+ in 30 days), u6 never.
    for (let u = 0; u < 6; u++) {
      const n = u === 0 ? 8 : Math.floor(r() * 4);
      for (let c = 0; c < n; c++) {
        const item = 100 + Math.floor(r() * 50);
        event({
          user_id: `u${u}`,
          item_id: `i${item}`,
          category_id: `c${item % 6}`,
          type: "click",
          ts: day + Math.floor(r() * DAY),
        });
      }
    }
    rejected.push(...rejects(today, day, at));
    batches.push(
      { table: "events", rows: events },
      { table: "predictions", rows: predictions },
      { table: "predictions_shadow", rows: shadows },
    );
    if (rejected.length > 0) batches.push({ table: "events_rejected", rows: rejected });
  }
  // Redelivery after a consumer restart: the same messages (same Kafka coordinates) again.
  batches.push({ table: "events", rows: resentEvents }, { table: "predictions", rows: resentPredictions });
  return { batches, predictionTs, days };
}

/**
 * Messages the recorder rejects, on the last four days: 4, 3, 2 and 1 of four kinds, each kind
 * with one payload (so counts never tie and `any(payload)` has one answer).
 */
function rejects(
  today: number,
  day: number,
  at: (t: string, k: string, ts: number) => KafkaCoordinates,
): RejectedRow[] {
  const back = Math.round((today - day) / DAY);
  if (back > 3) return [];
  const kinds: [string, string, number][] = [
    ["behavior-events", '{"schema":1,"event_id":"e-cut","user_id":"u1"', 4],
    ["behavior-events", '{"schema":1,"event_id":"e-anon","item_id":"i1","category_id":"c1","type":"click","ts":1}', 3],
    [
      "behavior-events",
      '{"schema":1,"event_id":"e-like","user_id":"u1","item_id":"i1","category_id":"c1","type":"like","ts":1}',
      2,
    ],
    [
      "predictions",
      '{"request_id":"r-bad","user_id":"u1","item_id":"i1","model":"din","version":"2","ctr":1.5,"cvr":null,"ts":1}',
      1,
    ],
  ];
  const out: RejectedRow[] = [];
  for (const [topic, payload, count] of kinds) {
    // back 0..3: a kind with count c appears on the c most recent days.
    if (back >= count) continue;
    const coords = at(topic, "k", day + 12 * HOUR + out.length);
    const m = topic === "predictions" ? toPredictionRow(payload, coords) : toEventRow(payload, coords);
    if (m.ok) throw new Error(`generated reject accepted: ${payload}`);
    out.push(m.rejected);
  }
  return out;
}
