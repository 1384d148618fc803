import type { BehaviourEvent, EventType } from "@seqlane/events";
import { apply, DEFAULT_SPEC, prepareEvent, type SequenceStore } from "@seqlane/sequences";

export interface SeedOptions {
  /** Click events (fill long_click, and short_mixed's newest part). */
  readonly clicks: number;
  /** Extra fav/cart/purchase events in the last hours (short_mixed). Default 0. */
  readonly mixed?: number;
  /** Time of the newest event (ms). Default now. */
  readonly now?: number;
  /** Distinct items drawn from (ids 1..items). Default 50000. */
  readonly items?: number;
  /** Distinct categories (ids 1..categories). Default 200. */
  readonly categories?: number;
  readonly seed?: number;
}

/**
 * Writes a synthetic behaviour history for `userId` through the real apply() and store.save(),
 * exactly as ingest would: for tests and benchmarks of the scorer.
 */
export async function seedUserHistory(store: SequenceStore, userId: string, options: SeedOptions): Promise<void> {
  let s = options.seed ?? 1;
  const rnd = (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const now = options.now ?? Date.now();
  const items = options.items ?? 50_000;
  const cats = options.categories ?? 200;
  const events: BehaviourEvent[] = [];
  const total = options.clicks + (options.mixed ?? 0);
  const kinds: EventType[] = ["fav", "cart", "purchase"];
  for (let i = 0; i < total; i++) {
    const mixed = i >= options.clicks;
    const item = 1 + rnd(items);
    events.push({
      schema: 1 as BehaviourEvent["schema"],
      event_id: `${userId}-${i}`,
      user_id: userId,
      item_id: String(item),
      category_id: String(1 + (item % cats)),
      type: mixed ? kinds[rnd(3)]! : "click",
      // clicks spread over the past ~7 days, mixed events in the last 2 hours
      ts: mixed ? now - (total - i) * 60_000 : now - 2 * 3_600_000 - (options.clicks - i) * 600_000,
      source: "server",
    });
  }
  events.sort((a, b) => a.ts - b.ts);
  const [state] = await store.load([userId]);
  for (const ev of events) apply(state!, prepareEvent(ev), DEFAULT_SPEC, { allowedLatenessMs: 365 * 86_400_000 });
  const [status] = await store.save([{ userId, state: state! }]);
  if (status !== "saved") throw new Error(`seed ${userId}: ${status}`);
}
