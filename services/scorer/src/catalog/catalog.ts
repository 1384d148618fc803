import { metrics } from "@opentelemetry/api";
import { createInstrument } from "@seqlane/telemetry";

/** Item attributes the scorer fills in when a request leaves them out. */
export interface ItemAttributes {
  readonly categoryId?: string | number;
  readonly brandId?: string | number;
}

/**
 * In-memory item catalog keyed by the canonical item id (decimal string for numbers). Kept current
 * from the compacted `items` topic (see kafka-catalog.ts); `set`/`delete` are also the loading
 * API for other sources (ClickHouse, files).
 */
export class ItemCatalog {
  private readonly items = new Map<string, ItemAttributes>();
  private readonly misses = createInstrument(metrics.getMeter("@seqlane/scorer"), "catalogMisses");

  get size(): number {
    return this.items.size;
  }

  get(itemId: string | number): ItemAttributes | undefined {
    return this.items.get(String(itemId));
  }

  set(itemId: string | number, attrs: ItemAttributes): void {
    this.items.set(String(itemId), attrs);
  }

  delete(itemId: string | number): void {
    this.items.delete(String(itemId));
  }

  /** Counts lookups that found nothing (metric `seqlane.scorer.catalog.misses`). */
  recordMisses(n: number): void {
    if (n > 0) this.misses.add(n);
  }
}
