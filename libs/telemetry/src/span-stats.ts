import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";

/** Latency figures of one span name, in milliseconds. */
export interface SpanSummary {
  readonly name: string;
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

const RESERVOIR = 2048;

/**
 * Keeps a bounded reservoir of durations per span name (memory stays flat however long the
 * process runs) so the demo can print a per-stage latency table when no collector is set.
 */
export class SpanStatsProcessor implements SpanProcessor {
  private readonly stats = new Map<string, { count: number; samples: Float64Array; max: number }>();

  onStart(_span: Span, _ctx: Context): void {}

  onEnd(span: ReadableSpan): void {
    const [s, ns] = span.duration;
    const ms = s * 1e3 + ns / 1e6;
    let st = this.stats.get(span.name);
    if (st === undefined) {
      st = { count: 0, samples: new Float64Array(RESERVOIR), max: 0 };
      this.stats.set(span.name, st);
    }
    // Reservoir sampling keeps an unbiased sample of all durations seen.
    const slot = st.count < RESERVOIR ? st.count : Math.floor(Math.random() * (st.count + 1));
    if (slot < RESERVOIR) st.samples[slot] = ms;
    st.count += 1;
    if (ms > st.max) st.max = ms;
  }

  summary(): SpanSummary[] {
    const out: SpanSummary[] = [];
    for (const [name, st] of this.stats) {
      const n = Math.min(st.count, RESERVOIR);
      const sorted = st.samples.slice(0, n).sort();
      const q = (p: number): number => sorted[Math.min(n - 1, Math.floor(p * n))] ?? 0;
      out.push({ name, count: st.count, p50: q(0.5), p99: q(0.99), max: st.max });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
