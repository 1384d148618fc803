import type { RoutingState } from "@seqlane/contracts";
import type { ArmComparison, ArmFigures, ShadowComparison } from "@seqlane/warehouse";

const num = (v: number | null | undefined, digits = 4): string =>
  v === null || v === undefined || Number.isNaN(v) ? "-" : v.toFixed(digits);
const signed = (v: number | null): string => (v === null ? "-" : (v >= 0 ? "+" : "") + v.toFixed(4));
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** One line of where a model's traffic goes, and by which setting. */
export function routingLine(
  state: RoutingState | undefined,
  split: string | undefined,
  newest: string | undefined,
): string {
  if (state === undefined) {
    if (split !== undefined) return `no routing.json: SEQLANE_TRAFFIC_SPLIT ${split}`;
    return `no routing.json: the newest version serves (${newest ?? "none published"})`;
  }
  const parts = [`serving ${state.serving}`];
  if (state.canary != null)
    parts.push(
      `canary ${state.canary.version} on ${(state.canary.share * 100).toFixed(1)}% of users since ${iso(state.canary.started_at)}`,
    );
  if ((state.shadow ?? []).length > 0) parts.push(`shadow ${state.shadow!.join(", ")}`);
  const by =
    state.updated_at === undefined
      ? ""
      : ` (written ${iso(state.updated_at)}${state.updated_by ? ` by ${state.updated_by}` : ""})`;
  return `routing.json: ${parts.join("; ")}${by}`;
}

/** The two arms as a small table, the AUC difference with its interval, and the rule's verdict. */
export function armsTable(c: ArmComparison, verdict: { action: string | undefined; reason: string }): string {
  const head = ["arm", "version", "labelled", "clicks", "auc", "logloss", "calib", "ci rows", "users"];
  const row = (arm: string, a: ArmFigures) => [
    arm,
    a.version,
    String(a.samples),
    String(a.positives),
    num(a.auc),
    num(a.logloss),
    num(a.calibration, 3),
    String(a.ciRows),
    String(a.ciUsers),
  ];
  const body = [row("serving", c.serving), row("canary", c.canary)];
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((x, i) => (i < 2 ? x.padEnd(widths[i] ?? 0) : x.padStart(widths[i] ?? 0))).join("  ");
  return [
    line(head),
    ...body.map(line),
    `AUC canary - serving: ${signed(c.diff)} [${signed(c.low)}, ${signed(c.high)}] (95%, ${c.ciMethod})`,
    `rule now: ${verdict.action ?? "-"}: ${verdict.reason}`,
  ].join("\n");
}

/** A shadow version against the served scores of the same impressions. */
export function shadowLines(s: ShadowComparison, sinceMs: number): string {
  if (s.pairs === 0) return `shadow ${s.shadow}: no labelled impressions with a shadow score since ${iso(sinceMs)}`;
  const f = (x: ShadowComparison["servedFigures"]) =>
    `auc ${num(x.auc)}, logloss ${num(x.logloss)}, calib ${num(x.calibration, 3)}`;
  return [
    `shadow ${s.shadow} vs served${s.served === undefined ? "" : ` ${s.served}`} on ${s.pairs} labelled impressions (${s.positives} clicks, ${s.users} users) since ${iso(sinceMs)}:`,
    `  served  ${f(s.servedFigures)}`,
    `  shadow  ${f(s.shadowFigures)}`,
    `  AUC shadow - served: ${signed(s.diff)} [${signed(s.low)}, ${signed(s.high)}] (95%, ${s.ciMethod})`,
  ].join("\n");
}

/** The latest model_decisions row, in one line. */
export function decisionLine(row: Record<string, unknown> | undefined): string {
  if (row === undefined) return "latest decision: none recorded";
  const diff =
    row.auc_diff === null
      ? ""
      : `, AUC diff ${signed(row.auc_diff as number)} [${signed(row.auc_diff_low as number | null)}, ${signed(row.auc_diff_high as number | null)}]`;
  const subject = row.canary_version
    ? `, ${row.action === "shadow" ? "shadow" : "canary"} ${String(row.canary_version)}`
    : "";
  return `latest decision: ${String(row.decided_at)} UTC ${String(row.action)} by ${String(row.decided_by)} (serving ${String(row.serving_version)}${subject}${diff}): ${String(row.reason)}`;
}
