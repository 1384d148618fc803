import type { BehaviourEvent, EventType } from "@seqlane/events";
import { createCatalog } from "./catalog.js";
import type { Catalog, CatalogItem } from "./catalog.js";
import { createRng } from "./rng.js";
import { FAV_AFTER_CLICK, PURCHASE_AFTER_CART, cartProbability, clickProbability, createUser, drift } from "./users.js";
import type { LatentUser } from "./users.js";
import { Zipf } from "./zipf.js";

/** Knobs of the synthetic world; every default is listed. */
export interface GeneratorOptions {
  /** Seed of every random draw; the same options give the same stream. Default 1. */
  readonly seed?: number;
  /** Users (ids `u0`..). Default 10000. Activity is Zipf(0.7) over users. */
  readonly users?: number;
  /** Catalogue items (ids `100000`..). Default 50000. */
  readonly items?: number;
  /** Categories (ids `10000`+N). Default 200. */
  readonly categories?: number;
  /** Topics grouping related categories (drift prefers the same topic). Default 20. */
  readonly topics?: number;
  /** Brands per category (ids `1000000`+C*brands+N). Default 20. */
  readonly brandsPerCategory?: number;
  /** Latent interests per user. Default 3. */
  readonly interestsPerUser?: number;
  /** Probability that one interest drifts at the start of a session. Default 0.05. */
  readonly driftRate?: number;
  /** Event time of the first event, epoch ms. Default 2025-06-01T00:00:00Z. */
  readonly startTs?: number;
  /** Mean event-time gap between consecutive events of the whole stream (ms). Default 500. */
  readonly eventIntervalMs?: number;
  /** Sessions interleaved at any time. Default 200. */
  readonly concurrentSessions?: number;
  /** Share of sessions on the device (source "device"). Default 0.3. */
  readonly deviceShare?: number;
  /** Share of events emitted twice (same event_id). Default 0.01. */
  readonly duplicateRate?: number;
  /** Share of events delayed 10 s to 10 min (late, within the default allowed lateness). Default 0.01. */
  readonly lateRate?: number;
  /** Share of events delayed 2 to 3 hours (beyond the default allowed lateness). Default 0.001. */
  readonly tooLateRate?: number;
  /**
   * Prefix of event and request ids. Default `e<seed>` / `r<seed>`: the same seed gives the same
   * ids, so two runs into the same Kafka/Redis/ClickHouse must use different prefixes or their
   * events would be deduplicated against each other.
   */
  readonly idPrefix?: string;
}

/** A generated event; exposures carry `p_click`, the latent model's true click probability. */
export interface GeneratedEvent extends BehaviourEvent {
  readonly p_click?: number;
}

export interface ShownItem {
  readonly item_id: string;
  readonly position?: number;
}

/** Pull-based synthetic behaviour stream with an inspectable latent model. */
export interface Generator {
  /** The next event in stream (Kafka) order; event times mostly ascend, late ones lag. */
  next(): GeneratedEvent;
  /** True click probability of showing `itemId` to `userId` at `position`, given the user's current latent state. */
  clickProbability(userId: string, itemId: string, position?: number): number;
  /** Draws a click decision from clickProbability (consumes the generator's randomness). */
  wouldClick(userId: string, itemId: string, position?: number): boolean;
  /**
   * What the user does when shown these items (e.g. a demo's scored slate): one exposure per
   * item, then clicks, favs, carts and purchases drawn from the latent model. Not part of next().
   */
  respond(
    userId: string,
    shown: readonly ShownItem[],
    opts?: { request_id?: string; ts?: number; source?: "server" | "device" },
  ): GeneratedEvent[];
  /** The catalogue entry of an item id, if the generator made it. */
  item(itemId: string): CatalogItem | undefined;
  /** `n` items drawn by popularity (candidates for a demo). */
  popularItems(n: number): CatalogItem[];
  readonly userIds: (index: number) => string;
  readonly userCount: number;
  /** Event time the stream has reached. */
  readonly clock: number;
}

interface Step {
  readonly type: EventType;
  readonly item: number;
  readonly request_id?: string;
  readonly position?: number;
  readonly p_click?: number;
}

interface Session {
  user: number;
  device: boolean;
  readonly queue: Step[];
}

export function createGenerator(opts: GeneratorOptions = {}): Generator {
  const seed = opts.seed ?? 1;
  const rng = createRng(seed);
  const itemCount = Math.max(1, opts.items ?? 50_000);
  const catalog: Catalog = createCatalog(rng, {
    items: itemCount,
    // every category gets at least one item
    categories: Math.max(1, Math.min(opts.categories ?? 200, itemCount)),
    topics: opts.topics ?? 20,
    brandsPerCategory: opts.brandsPerCategory ?? 20,
  });
  const U = opts.users ?? 10_000;
  const users: LatentUser[] = Array.from({ length: U }, () => createUser(rng, catalog, opts.interestsPerUser ?? 3));
  const userZipf = new Zipf(U, 0.7);
  const interval = opts.eventIntervalMs ?? 500;
  const dupRate = opts.duplicateRate ?? 0.01;
  const lateRate = opts.lateRate ?? 0.01;
  const tooLateRate = opts.tooLateRate ?? 0.001;
  const deviceShare = opts.deviceShare ?? 0.3;
  const driftRate = opts.driftRate ?? 0.05;
  let clock = opts.startTs ?? Date.UTC(2025, 5, 1);
  let eventSeq = 0;
  let requestSeq = 0;
  const eventPrefix = opts.idPrefix === undefined ? `e${seed}` : `${opts.idPrefix}e`;
  const requestPrefix = opts.idPrefix === undefined ? `r${seed}` : `${opts.idPrefix}r`;
  let emitted = 0;
  const active = new Set<number>();
  const delayed: { at: number; ev: GeneratedEvent }[] = [];
  const dups: { at: number; ev: GeneratedEvent }[] = [];

  const userIndex = (id: string): number => {
    const m = /^u(\d+)$/.exec(id);
    if (m && Number(m[1]) < U) return Number(m[1]);
    let h = 0;
    for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) >>> 0;
    return h % U;
  };

  const page = (u: number, out: Step[]): void => {
    const user = users[u]!;
    const request_id = `${requestPrefix}-${requestSeq++}`;
    const n = 6 + rng.int(7);
    const clicked: number[] = [];
    for (let position = 0; position < n; position++) {
      const x = rng.next();
      // A half-personalised recommender: interests, related categories, global popularity.
      const item =
        x < 0.5
          ? catalog.sampleIn(user.interests[rng.int(user.interests.length)]!, rng)
          : x < 0.65
            ? catalog.sampleIn(rng.int(catalog.categories), rng)
            : catalog.samplePopular(rng);
      const p = clickProbability(user, catalog, item, position);
      out.push({ type: "exposure", item, request_id, position, p_click: p });
      if (rng.next() < p) clicked.push(item);
    }
    for (const item of clicked) funnel(user, item, out, request_id);
  };

  const funnel = (user: LatentUser, item: number, out: Step[], request_id?: string): void => {
    const req = request_id === undefined ? {} : { request_id };
    out.push({ type: "click", item, ...req });
    if (rng.next() < FAV_AFTER_CLICK) out.push({ type: "fav", item, ...req });
    if (rng.next() < cartProbability(user, catalog, item)) {
      out.push({ type: "cart", item, ...req });
      if (rng.next() < PURCHASE_AFTER_CART) out.push({ type: "purchase", item, ...req });
    }
  };

  const newSession = (): Session => {
    let u = userZipf.sample(rng);
    for (let tries = 0; active.has(u) && tries < 10; tries++) u = userZipf.sample(rng);
    active.add(u);
    if (rng.next() < driftRate) drift(users[u]!, rng, catalog);
    const s: Session = { user: u, device: rng.next() < deviceShare, queue: [] };
    page(u, s.queue);
    return s;
  };
  const sessions: Session[] = Array.from({ length: Math.min(opts.concurrentSessions ?? 200, U) }, newSession);

  const build = (u: number, st: Step, ts: number, device: boolean): GeneratedEvent => {
    const it = catalog.items[st.item]!;
    return {
      schema: 1,
      event_id: `${eventPrefix}-${eventSeq++}`,
      user_id: `u${u}`,
      item_id: it.item_id,
      category_id: it.category_id,
      brand_id: it.brand_id,
      price: it.price,
      type: st.type,
      ts,
      source: device ? "device" : "server",
      ...(st.request_id !== undefined && { request_id: st.request_id }),
      ...(st.position !== undefined && { position: st.position }),
      ...(st.p_click !== undefined && { p_click: Math.round(st.p_click * 1e6) / 1e6 }),
    };
  };

  const next = (): GeneratedEvent => {
    for (;;) {
      if (delayed.length > 0 && delayed[0]!.at <= clock) return emit(delayed.shift()!.ev);
      if (dups.length > 0 && dups[0]!.at <= emitted) return emit(dups.shift()!.ev);
      const k = rng.int(sessions.length);
      let s = sessions[k]!;
      if (s.queue.length === 0) {
        if (rng.next() < 0.55) page(s.user, s.queue);
        else {
          active.delete(s.user);
          s = sessions[k] = newSession();
        }
      }
      const st = s.queue.shift()!;
      clock += Math.round(rng.exp(interval));
      const ev = build(s.user, st, clock, s.device);
      const r = rng.next();
      if (r < tooLateRate + lateRate) {
        const delay = r < tooLateRate ? 7_200_000 + rng.int(3_600_000) : 10_000 + rng.int(590_000);
        insertSorted(delayed, { at: clock + delay, ev });
        continue;
      }
      if (rng.next() < dupRate) dups.push({ at: emitted + 1 + rng.int(50), ev });
      return emit(ev);
    }
  };
  const emit = (ev: GeneratedEvent): GeneratedEvent => {
    emitted++;
    return ev;
  };

  return {
    next,
    clickProbability: (userId, itemId, position = 0) => {
      const i = catalog.byId.get(itemId);
      return i === undefined ? 0.02 : clickProbability(users[userIndex(userId)], catalog, i, position);
    },
    wouldClick(userId, itemId, position) {
      return rng.next() < this.clickProbability(userId, itemId, position);
    },
    respond(userId, shown, o = {}) {
      const u = userIndex(userId);
      const user = users[u]!;
      const ts = o.ts ?? clock;
      const request_id = o.request_id ?? `${requestPrefix}-${requestSeq++}`;
      const steps: Step[] = [];
      const clicked: number[] = [];
      shown.forEach((s, idx) => {
        const item = catalog.byId.get(s.item_id);
        if (item === undefined) return;
        const position = s.position ?? idx;
        const p = clickProbability(user, catalog, item, position);
        steps.push({ type: "exposure", item, request_id, position, p_click: p });
        if (rng.next() < p) clicked.push(item);
      });
      for (const item of clicked) funnel(user, item, steps, request_id);
      // The page's exposures happen together; each follow-up action a second after the last.
      let after = 0;
      return steps.map((st) => ({
        ...build(u, st, st.type === "exposure" ? ts : ts + ++after * 1000, o.source === "device"),
        user_id: userId,
      }));
    },
    item: (itemId) => {
      const i = catalog.byId.get(itemId);
      return i === undefined ? undefined : catalog.items[i];
    },
    popularItems: (n) => Array.from({ length: n }, () => catalog.items[catalog.samplePopular(rng)]!),
    userIds: (i) => `u${i}`,
    userCount: U,
    get clock() {
      return clock;
    },
  };
}

function insertSorted(list: { at: number; ev: GeneratedEvent }[], x: { at: number; ev: GeneratedEvent }): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.at > x.at) i--;
  list.splice(i, 0, x);
}
