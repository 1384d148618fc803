import type { EvalRow } from "@seqlane/warehouse";

const fmt = (v: number | null, digits = 4): string => (v === null || Number.isNaN(v) ? "-" : v.toFixed(digits));

/** A fixed-width text table of evaluation rows, one line per model, version, task and day. */
export function evalTable(rows: readonly EvalRow[]): string {
  const head = [
    "model",
    "version",
    "task",
    "day",
    "samples",
    "positives",
    "auc",
    "gauc",
    "users",
    "logloss",
    "ne",
    "calib",
  ];
  const body = rows.map((r) => [
    r.model,
    r.version,
    r.task,
    r.day,
    String(r.samples),
    String(r.positives),
    fmt(r.auc),
    fmt(r.gauc),
    String(r.gauc_users),
    fmt(r.logloss),
    fmt(r.ne),
    fmt(r.calibration, 3),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i < 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
