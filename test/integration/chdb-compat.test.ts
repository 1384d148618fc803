/**
 * Current ClickHouse, tested: every migration, every statement the recorder's jobs send, the
 * evaluation queries and every example query of docs/analysts.md run on the stack's 18.16
 * server (a throwaway database, dropped afterwards) and on chDB (ClickHouse 26.x in process),
 * on the same generated rows, and must give the same results. See infra/clickhouse/README.md.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { buildPlan } from "../chdb/plan.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHDB = join(ROOT, "test/chdb");
// SEQLANE_CHDB_OUT=DIR keeps plan.json and report.json there, to read or to rerun compare.py on.
const keep = process.env.SEQLANE_CHDB_OUT;
const work = keep ?? mkdtempSync(join(tmpdir(), "seqlane-chdb-compat-"));

interface Report {
  engines: Record<string, string>;
  steps: number;
  statements: number;
  queries_compared: number;
  rows_compared: number;
  mismatches: { id: string; problem: string }[];
  type_notes: unknown[];
  timing: Record<string, number>;
}

describe("the same SQL on ClickHouse 18.16 and current ClickHouse (chDB)", () => {
  afterAll(() => {
    if (keep === undefined) rmSync(work, { recursive: true, force: true });
  });

  it("gives the same results on both engines", { timeout: 600_000 }, async () => {
    const started = Date.now();
    // Installs chDB on first use (pinned, test/chdb/requirements.txt); a no-op afterwards.
    const python = execFileSync("bash", [join(CHDB, "venv.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
    const installMs = Date.now() - started;

    mkdirSync(work, { recursive: true });
    const planFile = join(work, "plan.json");
    const reportFile = join(work, "report.json");
    const DAY = 86_400_000;
    // Analyst queries use today(): a run that crosses UTC midnight is run again with the new day.
    const compare = async (): Promise<{ run: ReturnType<typeof spawnSync>; day: number }> => {
      const now = Date.now();
      const tag = `${now.toString(36)}${Math.floor(Math.random() * 1e6)}`;
      const plan = await buildPlan({ root: ROOT, database: `t_chdb_${tag}`, now });
      writeFileSync(planFile, JSON.stringify(plan));
      rmSync(reportFile, { force: true });
      const run = spawnSync(python, [join(CHDB, "compare.py"), planFile, "--report", reportFile], {
        encoding: "utf8",
        env: process.env,
        maxBuffer: 16 * 1024 * 1024,
      });
      return { run, day: Math.floor(now / DAY) };
    };
    let { run, day } = await compare();
    if (day !== Math.floor(Date.now() / DAY)) ({ run, day } = await compare());
    process.stdout.write(String(run.stdout));
    process.stderr.write(String(run.stderr));
    expect(run.status, "compare.py could not run both engines (see its output)").not.toBe(2);
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as Report;
    console.log(
      `chdb-compat: ${report.statements} statements, ${report.queries_compared} queries compared ` +
        `(${report.rows_compared} rows) on ${report.engines["18.16"]} and ${report.engines.chDB}; ` +
        `venv ${installMs} ms, total ${Date.now() - started} ms`,
    );
    expect(report.mismatches.map((m) => `${m.id}: ${m.problem}`)).toEqual([]);
    expect(run.status).toBe(0);
    expect(report.queries_compared).toBeGreaterThanOrEqual(30);
  });
});
