import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseCommand } from "../args.js";
import { clickhouse, load } from "@seqlane/config";
import {
  createWarehouse,
  evalInsert,
  evalQuery,
  modelName,
  parseSince,
  type EvalRow,
  type Task,
} from "@seqlane/warehouse";
import { renderReport } from "../eval/report.js";
import { evalTable } from "../eval/table.js";

const USAGE = `usage: seqlane eval [--model M] [--version V] [--since 24h] [--until TIME] [options]

Evaluates labelled predictions (outcomes) in ClickHouse: AUC, GAUC, logloss, NE, calibration
per model, version, task and UTC day. Prints a table and writes an HTML report.

  --model M        only this model (default: all)
  --version V      only this version
  --since T        start: a duration back from now (24h, 7d) or an ISO date/time (default 24h)
  --until T        end, same forms (default now)
  --task T         ctr, cvr or both (default both)
  --report-dir D   folder of the HTML report (default reports)
  --no-report      print the table only
  --write          also write the per-day rows into model_eval`;

export async function run(argv: string[]): Promise<number> {
  const a = parseCommand(
    "eval",
    argv,
    {
      model: { type: "string" },
      version: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      task: { type: "string" },
      "report-dir": { type: "string" },
      "no-report": { type: "boolean" },
      write: { type: "boolean" },
    },
    USAGE,
  );
  if (typeof a === "number") return a;
  const now = Date.now();
  let tasks: Task[];
  let filter: { model?: string; version?: string; fromMs: number; toMs: number };
  try {
    const task = a.task ?? "both";
    if (!["ctr", "cvr", "both"].includes(task))
      throw new Error(`--task must be ctr, cvr or both, got ${JSON.stringify(task)}`);
    tasks = task === "both" ? ["ctr", "cvr"] : [task as Task];
    filter = {
      ...(a.model === undefined ? {} : { model: modelName(a.model) }),
      ...(a.version === undefined ? {} : { version: modelName(a.version, "version") }),
      fromMs: parseSince(a.since ?? "24h", now, "--since"),
      toMs: a.until === undefined ? now : parseSince(a.until, now, "--until"),
    };
    if (filter.fromMs >= filter.toMs) throw new Error("--since must be before --until");
  } catch (e) {
    console.error(`seqlane eval: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  const ch = load(clickhouse);
  const wh = createWarehouse({ url: ch.url, database: ch.database, username: ch.user, password: ch.password });
  try {
    const daily: EvalRow[] = [];
    const overall: EvalRow[] = [];
    for (const task of tasks) {
      const f = { database: wh.database, task, ...filter };
      daily.push(...(await wh.query<EvalRow>(evalQuery(f))));
      overall.push(...(await wh.query<EvalRow>(evalQuery({ ...f, perDay: false }))));
      if (a.write) await wh.command(evalInsert(f));
    }
    const span = `${new Date(filter.fromMs).toISOString()} .. ${new Date(filter.toMs).toISOString()}`;
    if (daily.length === 0) {
      console.log(`no labelled predictions${filter.model ? ` of ${filter.model}` : ""} in ${span}`);
      return 0;
    }
    console.log(`${span}\n\n${evalTable(daily)}\n\nwhole window:\n${evalTable(overall)}`);
    if (!a["no-report"]) {
      const dir = resolve(a["report-dir"] ?? "reports");
      await mkdir(dir, { recursive: true });
      const stamp = new Date(now).toISOString().replace(/[-:]/g, "").slice(0, 15);
      const file = join(dir, `eval-${filter.model ?? "all"}-${stamp}.html`);
      const title = `Seqlane evaluation: ${filter.model ?? "all models"}${filter.version ? ` v${filter.version}` : ""}, ${span}`;
      await writeFile(file, renderReport({ title, generatedAt: new Date(now), daily, overall }));
      console.log(`\nreport: ${file}`);
    }
    if (a.write) console.log(`model_eval: ${daily.length} rows written`);
    return 0;
  } finally {
    await wh.close();
  }
}
