import type { BehaviourEvent } from "@seqlane/events";
import { DEFAULT_WINDOWS, type AttributionWindows } from "@seqlane/warehouse";

/** Attribution windows (ms) after an exposure: the recorder's labelling's, defaults included. */
export type LabelWindows = AttributionWindows;
export { DEFAULT_WINDOWS };

const LABELLED = { click: 0, cart: 1, purchase: 2 } as const;

/**
 * Outcome times per (user, item), so an exposure's labels are a lookup: did the same user act
 * on the same item within the window after it. Built in a first pass over the stream because a
 * label depends on events that come after the exposure.
 */
export class OutcomeIndex {
  private readonly times = new Map<string, number[][]>();

  add(e: BehaviourEvent): void {
    const k = LABELLED[e.type as keyof typeof LABELLED];
    if (k === undefined) return;
    const key = `${e.user_id}\u0000${e.item_id}`;
    let t = this.times.get(key);
    if (t === undefined) this.times.set(key, (t = [[], [], []]));
    t[k]!.push(e.ts);
  }

  /** [click, cart, purchase] as 0/1 for an exposure of `itemId` to `userId` at `ts`. */
  labels(userId: string, itemId: string, ts: number, w: LabelWindows): [number, number, number] {
    const t = this.times.get(`${userId}\u0000${itemId}`);
    if (t === undefined) return [0, 0, 0];
    const within = (arr: readonly number[], win: number) => (arr.some((x) => x >= ts && x <= ts + win) ? 1 : 0);
    return [within(t[0]!, w.clickMs), within(t[1]!, w.cartMs), within(t[2]!, w.purchaseMs)];
  }
}
