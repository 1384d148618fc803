import type { EvalRow } from "@seqlane/warehouse";
import { esc, lineChart, type Series } from "./svg.js";
import { evalTable } from "./table.js";

export interface ReportInput {
  readonly title: string;
  readonly generatedAt: Date;
  /** One row per model, version, task and day. */
  readonly daily: readonly EvalRow[];
  /** One row per model, version and task over the whole window (reliability bins). */
  readonly overall: readonly EvalRow[];
}

const DAY = 86_400_000;

/**
 * A self-contained HTML page: summary table, reliability diagram per task (mean predicted vs
 * observed rate per bin, one line per model version) and AUC per day.
 */
export function renderReport(input: ReportInput): string {
  const sections: string[] = [];
  for (const task of ["ctr", "cvr"] as const) {
    const overall = input.overall.filter((r) => r.task === task);
    const daily = input.daily.filter((r) => r.task === task);
    if (overall.length === 0 && daily.length === 0) continue;
    const reliability: Series[] = overall.map((r) => ({
      name: `${r.model} v${r.version}`,
      points: r.bin_predicted.map((p, i) => ({ x: p, y: r.bin_observed[i] ?? Number.NaN })),
    }));
    const days = [...new Set(daily.map((r) => Date.parse(`${r.day}T00:00:00Z`)))].sort((a, b) => a - b);
    const versions = [...new Set(daily.map((r) => `${r.model} v${r.version}`))];
    const aucSeries: Series[] = versions.map((name) => ({
      name,
      points: daily
        .filter((r) => `${r.model} v${r.version}` === name && r.auc !== null)
        .map((r) => ({ x: Date.parse(`${r.day}T00:00:00Z`), y: r.auc as number })),
    }));
    const aucs = daily.map((r) => r.auc).filter((a): a is number => a !== null);
    const lo = aucs.length ? Math.max(0, Math.floor(Math.min(...aucs) * 20) / 20) : 0.5;
    const hi = aucs.length ? Math.min(1, Math.ceil(Math.max(...aucs) * 20) / 20) : 1;
    sections.push(`<h2>${task.toUpperCase()}</h2>
<div class="charts">
${lineChart(reliability, { title: `Reliability (${task})`, xLabel: "mean predicted", yLabel: "observed rate", x: [0, 1], y: [0, 1], diagonal: true })}
${lineChart(aucSeries, {
  title: `AUC per day (${task})`,
  xLabel: "day (UTC)",
  yLabel: "AUC",
  x: [days[0] ?? 0, days[days.length - 1] ?? DAY],
  y: [lo, hi],
  xTick: (x) => new Date(Math.round(x / DAY) * DAY).toISOString().slice(5, 10),
})}
</div>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)}</title>
<style>body{font-family:sans-serif;margin:24px;color:#222}pre{background:#f6f6f6;padding:12px;overflow-x:auto}.charts{display:flex;flex-wrap:wrap;gap:16px}</style>
</head><body>
<h1>${esc(input.title)}</h1>
<p>Generated ${esc(input.generatedAt.toISOString())}. AUC with tie-averaged ranks; GAUC weighted by impressions over users with both classes; NE = logloss / entropy of the observed rate; calibration = sum(predicted) / sum(labels).</p>
<h2>Per day</h2>
<pre>${esc(evalTable(input.daily))}</pre>
<h2>Whole window</h2>
<pre>${esc(evalTable(input.overall))}</pre>
${sections.join("\n")}
</body></html>
`;
}
