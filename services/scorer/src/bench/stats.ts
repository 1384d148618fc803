/** Percentile of a sorted array (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface LevelResult {
  readonly label: string;
  readonly concurrency: number;
  readonly requests: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
  readonly candidatesPerS: number;
}

export function summarise(
  label: string,
  concurrency: number,
  latencies: number[],
  errors: number,
  candidates: number,
  wallMs: number,
): LevelResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    label,
    concurrency,
    requests: latencies.length,
    errors,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    candidatesPerS: (latencies.length * candidates) / (wallMs / 1000),
  };
}

export function table(rows: readonly LevelResult[]): string {
  const head =
    "| run | conc | requests | errors | p50 ms | p99 ms | candidates/s |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |";
  return [
    head,
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.concurrency} | ${r.requests} | ${r.errors} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${Math.round(r.candidatesPerS)} |`,
    ),
  ].join("\n");
}
