/** Bounded latency sample (ms) for progress lines: the last `size` observations. */
export class LatencyWindow {
  private readonly buf: Float64Array;
  private n = 0;

  constructor(size = 4096) {
    this.buf = new Float64Array(size);
  }

  add(ms: number): void {
    this.buf[this.n % this.buf.length] = ms;
    this.n++;
  }

  quantile(q: number): number {
    const len = Math.min(this.n, this.buf.length);
    if (len === 0) return 0;
    const sorted = this.buf.slice(0, len).sort();
    return sorted[Math.min(len - 1, Math.floor(q * len))] ?? 0;
  }

  get count(): number {
    return this.n;
  }
}
