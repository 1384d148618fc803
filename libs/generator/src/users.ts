import type { Catalog } from "./catalog.js";
import type { Rng } from "./rng.js";

/** A user's latent state: a few weighted category interests that drift between sessions. */
export interface LatentUser {
  readonly interests: Int32Array;
  readonly weights: Float64Array;
  /** Per-user click propensity offset. */
  readonly bias: number;
}

export function createUser(rng: Rng, catalog: Catalog, k: number): LatentUser {
  const interests = new Int32Array(k);
  const weights = new Float64Array(k);
  let sum = 0;
  for (let i = 0; i < k; i++) {
    interests[i] = rng.int(catalog.categories);
    weights[i] = 0.2 + rng.next();
    sum += weights[i]!;
  }
  for (let i = 0; i < k; i++) weights[i] = weights[i]! / sum;
  return { interests, weights, bias: 0.3 * rng.normal() };
}

/** Interest drift: one interest moves to a related category (same topic) or anywhere. */
export function drift(user: LatentUser, rng: Rng, catalog: Catalog): void {
  const k = rng.int(user.interests.length);
  const cur = user.interests[k]!;
  if (rng.next() < 0.6) {
    const T = catalog.topicOf(catalog.categories - 1) + 1;
    const steps = Math.floor(catalog.categories / T);
    user.interests[k] = (catalog.topicOf(cur) + T * rng.int(Math.max(1, steps))) % catalog.categories;
  } else user.interests[k] = rng.int(catalog.categories);
}

/** How much a user cares for a category: interest weight, a third of it for related ones. */
export function affinity(user: LatentUser, catalog: Catalog, c: number): number {
  let a = 0;
  const topic = catalog.topicOf(c);
  for (let i = 0; i < user.interests.length; i++) {
    const ic = user.interests[i]!;
    if (ic === c) a += user.weights[i]!;
    else if (catalog.topicOf(ic) === topic) a += user.weights[i]! / 3;
  }
  return a;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The true click probability of showing item i at a position: the latent model's CTR. */
export function clickProbability(user: LatentUser | undefined, catalog: Catalog, i: number, position = 0): number {
  const a = user ? affinity(user, catalog, catalog.category[i]!) : 0;
  return sigmoid(-3.4 + 4.0 * a + catalog.quality[i]! + (user?.bias ?? 0) - 0.06 * Math.min(position, 20));
}

/** Probability of add-to-cart after a click, and of purchase after a cart. */
export function cartProbability(user: LatentUser, catalog: Catalog, i: number): number {
  return 0.08 + 0.2 * affinity(user, catalog, catalog.category[i]!);
}
export const PURCHASE_AFTER_CART = 0.35;
export const FAV_AFTER_CLICK = 0.06;
