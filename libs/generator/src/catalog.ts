import type { Rng } from "./rng.js";
import { Zipf } from "./zipf.js";

/** One catalogue item as events carry it. */
export interface CatalogItem {
  readonly item_id: string;
  readonly category_id: string;
  readonly brand_id: string;
  readonly price: number;
}

/**
 * Items in categories, categories in topics (related categories), brands per category.
 * Popularity is Zipf within each category; item quality is a latent click-through offset.
 */
export interface Catalog {
  readonly items: readonly CatalogItem[];
  /** Latent per item: category index, topic, quality. */
  readonly category: Int32Array;
  readonly quality: Float64Array;
  readonly categories: number;
  readonly topicOf: (category: number) => number;
  /** Item indices of a category, most popular first. */
  readonly byCategory: readonly Int32Array[];
  readonly byId: ReadonlyMap<string, number>;
  /** A popular item of category c. */
  sampleIn(c: number, rng: Rng): number;
  /** A globally popular item. */
  samplePopular(rng: Rng): number;
}

export function createCatalog(
  rng: Rng,
  opts: { items: number; categories: number; topics: number; brandsPerCategory: number },
): Catalog {
  const { items: n, categories: C, topics: T, brandsPerCategory: B } = opts;
  const catZipf = new Zipf(C, 0.6);
  const category = new Int32Array(n);
  const quality = new Float64Array(n);
  const lists: number[][] = Array.from({ length: C }, () => []);
  const items: CatalogItem[] = [];
  const byId = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const c = i < C ? i : catZipf.sample(rng);
    category[i] = c;
    quality[i] = 0.5 * rng.normal();
    lists[c]!.push(i);
    const item: CatalogItem = {
      item_id: String(100_000 + i),
      // numeric ids, as in Taobao's data; they stay readable through replay (docs/ids.md)
      category_id: String(10_000 + c),
      brand_id: String(1_000_000 + c * B + rng.int(B)),
      price: Math.round(Math.exp(2 + 1.5 * rng.normal() + (c % 7) * 0.2) * 100) / 100,
    };
    items.push(item);
    byId.set(item.item_id, i);
  }
  const byCategory = lists.map((l) => Int32Array.from(l));
  const zipfs = byCategory.map((l) => new Zipf(Math.max(1, l.length), 1.0));
  const global = new Zipf(n, 0.9);
  const globalOrder = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [globalOrder[i], globalOrder[j]] = [globalOrder[j]!, globalOrder[i]!];
  }
  return {
    items,
    category,
    quality,
    categories: C,
    topicOf: (c) => c % T,
    byCategory,
    byId,
    sampleIn: (c, r) => byCategory[c]![zipfs[c]!.sample(r)]!,
    samplePopular: (r) => globalOrder[global.sample(r)]!,
  };
}
