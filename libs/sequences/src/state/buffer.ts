import type { SequenceBlock } from "../types.js";

/** The fields of one stored record, as apply() hands them over. */
export interface RecordFields {
  readonly itemLo: number;
  readonly itemHi: number;
  readonly catLo: number;
  readonly catHi: number;
  readonly brandLo: number;
  readonly brandHi: number;
  readonly type: number;
  readonly ts: number;
}

/**
 * One mutable sequence, columnar, oldest first. Records live in [start, start + length) of the
 * typed arrays so that trimming the oldest is O(1); appends are amortised O(1) and a late
 * insert shifts only the newer records.
 */
export class SequenceBuffer {
  start = 0;
  length = 0;
  item: Uint32Array;
  category: Uint32Array;
  brand: Uint32Array;
  type: Uint8Array;
  ts: Float64Array;

  /** `capacity` 0 allocates nothing until the first insert (most users leave some sequences empty). */
  constructor(capacity = 0) {
    // One backing store per buffer: off-heap allocations, not bytes, are what the GC pays for.
    const ab = new ArrayBuffer(capacity * 33);
    this.item = new Uint32Array(ab, 0, capacity * 2);
    this.category = new Uint32Array(ab, capacity * 8, capacity * 2);
    this.brand = new Uint32Array(ab, capacity * 16, capacity * 2);
    this.ts = new Float64Array(ab, capacity * 24, capacity);
    this.type = new Uint8Array(ab, capacity * 32, capacity);
  }

  get capacity(): number {
    return this.type.length;
  }

  /** Event time of the record at logical index i. */
  tsAt(i: number): number {
    return this.ts[this.start + i]!;
  }

  /** Inserts at logical index i (0..length), shifting newer records right. */
  insertAt(i: number, r: RecordFields): void {
    if (this.start + this.length === this.capacity) this.makeRoom();
    const p = this.start + i;
    const end = this.start + this.length;
    if (p < end) {
      this.item.copyWithin(2 * p + 2, 2 * p, 2 * end);
      this.category.copyWithin(2 * p + 2, 2 * p, 2 * end);
      this.brand.copyWithin(2 * p + 2, 2 * p, 2 * end);
      this.type.copyWithin(p + 1, p, end);
      this.ts.copyWithin(p + 1, p, end);
    }
    this.item[2 * p] = r.itemLo;
    this.item[2 * p + 1] = r.itemHi;
    this.category[2 * p] = r.catLo;
    this.category[2 * p + 1] = r.catHi;
    this.brand[2 * p] = r.brandLo;
    this.brand[2 * p + 1] = r.brandHi;
    this.type[p] = r.type;
    this.ts[p] = r.ts;
    this.length++;
  }

  /** Logical index after the last record with ts <= t (where a record at t is inserted). */
  upperBound(t: number): number {
    let i = this.length;
    // Events arrive nearly in order: scan back from the end instead of bisecting.
    while (i > 0 && this.ts[this.start + i - 1]! > t) i--;
    return i;
  }

  dropFront(n: number): void {
    const k = Math.min(n, this.length);
    this.start += k;
    this.length -= k;
    if (this.length === 0) this.start = 0;
  }

  /** Drops records older than `minTs` (ts < minTs). */
  dropOlderThan(minTs: number): void {
    let k = 0;
    while (k < this.length && this.ts[this.start + k]! < minTs) k++;
    if (k > 0) this.dropFront(k);
  }

  removeAt(i: number): void {
    const p = this.start + i;
    const end = this.start + this.length;
    this.item.copyWithin(2 * p, 2 * p + 2, 2 * end);
    this.category.copyWithin(2 * p, 2 * p + 2, 2 * end);
    this.brand.copyWithin(2 * p, 2 * p + 2, 2 * end);
    this.type.copyWithin(p, p + 1, end);
    this.ts.copyWithin(p, p + 1, end);
    this.length--;
  }

  /** Zero-copy read view, oldest first (valid until the next mutation). */
  view(): SequenceBlock {
    const s = this.start;
    const e = s + this.length;
    return {
      length: this.length,
      item: this.item.subarray(2 * s, 2 * e),
      category: this.category.subarray(2 * s, 2 * e),
      brand: this.brand.subarray(2 * s, 2 * e),
      type: this.type.subarray(s, e),
      ts: this.ts.subarray(s, e),
    };
  }

  private makeRoom(): void {
    if (this.start > 0 && this.start >= this.capacity / 4) {
      // Enough dead space at the front: slide down instead of growing.
      this.compactTo(this.capacity);
      return;
    }
    // Grow fast while small: each growth is an off-heap allocation the GC pays for.
    this.compactTo(this.capacity < 256 ? Math.max(16, this.capacity * 4) : this.capacity * 2);
  }

  private compactTo(capacity: number): void {
    const s = this.start;
    const e = s + this.length;
    if (capacity === this.capacity) {
      this.item.copyWithin(0, 2 * s, 2 * e);
      this.category.copyWithin(0, 2 * s, 2 * e);
      this.brand.copyWithin(0, 2 * s, 2 * e);
      this.type.copyWithin(0, s, e);
      this.ts.copyWithin(0, s, e);
    } else {
      const { item, category, brand, type, ts } = new SequenceBuffer(capacity);
      item.set(this.item.subarray(2 * s, 2 * e));
      category.set(this.category.subarray(2 * s, 2 * e));
      brand.set(this.brand.subarray(2 * s, 2 * e));
      type.set(this.type.subarray(s, e));
      ts.set(this.ts.subarray(s, e));
      this.item = item;
      this.category = category;
      this.brand = brand;
      this.type = type;
      this.ts = ts;
    }
    this.start = 0;
  }
}
