import { METRICS } from "./names.js";

/**
 * The METRICS table as Markdown (name, instrument, unit, meaning), columns padded the way
 * prettier formats them; libs/telemetry/README.md holds its output (`node scripts/metrics-table.mjs`).
 */
export function describeMetrics(): string {
  const rows = Object.values(METRICS).map((m) => [`\`${m.name}\``, m.kind, `\`${m.unit}\``, m.description]);
  const head = ["metric", "instrument", "unit", "meaning"];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(width[i]!)).join(" | ")} |`;
  return [line(head), line(width.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
