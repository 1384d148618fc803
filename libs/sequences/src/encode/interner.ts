/**
 * Assigns dense indices to distinct tuples of uint32 (open addressing, linear probing).
 * Reused across encodes: reset() costs O(table size), no allocation in steady state.
 */
export class Interner {
  count = 0;
  values: Uint32Array;
  private table = new Int32Array(64);
  private mask = 63;

  constructor(private readonly arity: number) {
    this.values = new Uint32Array(arity * 64);
  }

  /** Prepares for up to n distinct tuples. */
  reset(n: number): void {
    let size = 64;
    while (size < n * 2) size <<= 1;
    if (this.table.length < size) this.table = new Int32Array(size);
    else this.table.fill(0, 0, size);
    this.mask = size - 1;
    if (this.values.length < n * this.arity) this.values = new Uint32Array(n * this.arity);
    this.count = 0;
  }

  /** Index of the tuple (a, b[, c, d]); arity 2 ignores c and d. */
  intern(a: number, b: number, c = 0, d = 0): number {
    const k = this.arity;
    let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
    h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35) ^ c;
    h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f) ^ d;
    let slot = (h ^ (h >>> 16)) & this.mask;
    const vals = this.values;
    for (;;) {
      const v = this.table[slot]!;
      if (v === 0) {
        const o = k * this.count;
        vals[o] = a;
        vals[o + 1] = b;
        if (k === 4) {
          vals[o + 2] = c;
          vals[o + 3] = d;
        }
        this.table[slot] = ++this.count;
        return this.count - 1;
      }
      const o = k * (v - 1);
      if (vals[o] === a && vals[o + 1] === b && (k === 2 || (vals[o + 2] === c && vals[o + 3] === d))) return v - 1;
      slot = (slot + 1) & this.mask;
    }
  }
}
