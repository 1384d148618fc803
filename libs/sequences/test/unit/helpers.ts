import type { BehaviourEvent } from "@seqlane/events";
import { encodeState } from "../../src/index.js";
import type { UserState } from "../../src/index.js";

export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const TYPES = ["click", "fav", "cart", "purchase", "exposure", "exposure", "exposure"] as const;
export const T0 = Date.UTC(2026, 0, 1);

/** A random stream for one user: mostly ascending time, distinct ids, small item pool. */
export function randomEvents(
  r: () => number,
  n: number,
  opts: { user?: string; stepMs?: number; numeric?: boolean } = {},
): BehaviourEvent[] {
  const out: BehaviourEvent[] = [];
  let t = T0;
  for (let i = 0; i < n; i++) {
    t += Math.floor(r() * (opts.stepMs ?? 60_000)) + 1;
    const item = Math.floor(r() * 30);
    out.push({
      schema: 1,
      event_id: `e${i}`,
      user_id: opts.user ?? "u1",
      item_id: opts.numeric || r() < 0.5 ? String(item) : `item-${item}`,
      category_id: String(item % 5),
      ...(r() < 0.7 && { brand_id: opts.numeric ? String(item % 3) : `b${item % 3}` }),
      type: TYPES[Math.floor(r() * TYPES.length)]!,
      ts: t,
      source: r() < 0.3 ? "device" : "server",
    });
  }
  return out;
}

/** Canonical bytes of a state's content (revision fixed), to compare states. */
export function fingerprint(s: UserState): string {
  return encodeState(s, 1).toString("hex");
}
