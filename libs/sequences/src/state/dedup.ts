/**
 * Event-id fingerprints (64-bit FNV-1a of event_id) of one user's recently applied events,
 * ordered by event time, bounded. Together with the user's dedup horizon (`floorTs`) this makes
 * dedup exact in bounded memory: every applied event newer than the horizon is still here.
 */
export class DedupSet {
  start = 0;
  length = 0;
  fp: Uint32Array;
  ts: Float64Array;

  constructor(capacity = 0) {
    const ab = new ArrayBuffer(capacity * 16);
    this.fp = new Uint32Array(ab, 0, capacity * 2);
    this.ts = new Float64Array(ab, capacity * 8, capacity);
  }

  has(lo: number, hi: number): boolean {
    const fp = this.fp;
    for (let p = this.start, e = this.start + this.length; p < e; p++) {
      if (fp[2 * p] === lo && fp[2 * p + 1] === hi) return true;
    }
    return false;
  }

  /**
   * Adds a fingerprint in event-time order. Times are kept rounded UP to whole seconds (4 bytes
   * packed): the horizon derived from them can only err towards refusing, never towards
   * applying an event twice, and rounding here (not in the codec) keeps cached and reloaded
   * states identical.
   */
  add(lo: number, hi: number, exactTs: number): void {
    const ts = Math.ceil(exactTs / 1000) * 1000;
    if (this.start + this.length === this.ts.length) this.makeRoom();
    let p = this.start + this.length;
    while (p > this.start && this.ts[p - 1]! > ts) p--;
    const end = this.start + this.length;
    if (p < end) {
      this.fp.copyWithin(2 * p + 2, 2 * p, 2 * end);
      this.ts.copyWithin(p + 1, p, end);
    }
    this.fp[2 * p] = lo;
    this.fp[2 * p + 1] = hi;
    this.ts[p] = ts;
    this.length++;
  }

  /** Event time of the oldest fingerprint (only when length > 0). */
  oldestTs(): number {
    return this.ts[this.start]!;
  }

  dropOldest(): number {
    const t = this.ts[this.start]!;
    this.start++;
    this.length--;
    if (this.length === 0) this.start = 0;
    return t;
  }

  private makeRoom(): void {
    const s = this.start;
    const e = s + this.length;
    if (s > 0 && s >= this.ts.length / 4) {
      this.fp.copyWithin(0, 2 * s, 2 * e);
      this.ts.copyWithin(0, s, e);
    } else {
      const { fp, ts } = new DedupSet(this.ts.length < 256 ? Math.max(16, this.ts.length * 4) : this.ts.length * 2);
      fp.set(this.fp.subarray(2 * s, 2 * e));
      ts.set(this.ts.subarray(s, e));
      this.fp = fp;
      this.ts = ts;
    }
    this.start = 0;
  }
}
