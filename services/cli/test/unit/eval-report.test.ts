import { describe, expect, it } from "vitest";
import type { EvalRow } from "@seqlane/warehouse";
import { renderReport } from "../../src/eval/report.js";
import { evalTable } from "../../src/eval/table.js";

const row = (over: Partial<EvalRow>): EvalRow => ({
  model: "din",
  version: "3",
  task: "ctr",
  day: "2026-11-27",
  samples: 100,
  positives: 20,
  auc: 0.71,
  gauc: 0.69,
  gauc_users: 9,
  logloss: 0.45,
  ne: 0.9,
  calibration: 1.1,
  mean_predicted: 0.22,
  observed_rate: 0.2,
  bin_index: [0, 5, 9],
  bin_count: [50, 30, 20],
  bin_predicted: [0.05, 0.55, 0.95],
  bin_observed: [0.04, 0.5, 0.9],
  ...over,
});

describe("eval output", () => {
  it("prints an aligned table with '-' for undefined metrics", () => {
    const t = evalTable([row({}), row({ version: "4", auc: null, gauc: null })]).split("\n");
    expect(t[0]).toMatch(/^model\s+version\s+task\s+day\s+samples/);
    expect(t[2]).toContain("0.7100");
    expect(t[3]).toMatch(/\s-\s+-\s/);
    expect(new Set(t.map((l) => l.length)).size).toBe(1);
  });

  it("renders a self-contained HTML report with a reliability diagram and AUC over time", () => {
    const daily = [row({}), row({ day: "2026-11-28", auc: 0.73 }), row({ task: "cvr", model: "<b>x</b>" })];
    const html = renderReport({
      title: "t & <x>",
      generatedAt: new Date(0),
      daily,
      overall: [row({}), row({ task: "cvr" })],
    });
    expect(html.match(/<svg /g)?.length).toBe(4);
    expect(html).toContain("Reliability (ctr)");
    expect(html).toContain("AUC per day (ctr)");
    expect(html).toContain("t &amp; &lt;x&gt;");
    expect(html).not.toContain("<b>x</b>");
    // No external assets: the only URL is the SVG namespace.
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, "")).not.toMatch(/https?:|src=|<script|<link/);
  });
});
