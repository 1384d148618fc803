import type { SpanSummary } from "@seqlane/telemetry";

/** Per-stage latency table from the in-process span statistics (when no collector is set). */
export function printSpanSummary(rows: readonly SpanSummary[], say: (line: string) => void): void {
  if (rows.length === 0) return;
  say("per-stage latency (ms, from the spans of this process)");
  say(`  ${"stage".padEnd(34)}${"count".padStart(9)}${"p50".padStart(9)}${"p99".padStart(9)}${"max".padStart(9)}`);
  for (const r of rows)
    say(
      `  ${r.name.padEnd(34)}${String(r.count).padStart(9)}${r.p50.toFixed(2).padStart(9)}${r.p99.toFixed(2).padStart(9)}${r.max.toFixed(2).padStart(9)}`,
    );
}
