import { parseArgs } from "node:util";

export interface DemoArgs {
  /** How long traffic runs, minutes. */
  readonly minutes: number;
  /** Organic behaviour events per second into Kafka. */
  readonly rate: number;
  /** Scoring requests per second. */
  readonly requestRate: number;
  /** Models to compare; empty: every model in the registry. */
  readonly models: readonly string[];
  readonly candidates: number;
  readonly users: number;
  readonly seed: number;
  readonly reportDir: string;
}

export const DEMO_USAGE = `usage: seqlane demo [--minutes 2] [--rate 150] [--requests 15] [--models din,pooling]
                    [--candidates 20] [--users 2000] [--seed 1] [--report-dir reports]

Runs the whole pipeline on the local stack (npm run stack:up first; npm run demo does both):
a synthetic stream into Kafka, ingest -> Redis, scoring requests for users as their sessions
unfold (the user sees the candidates in the model's order and reacts through the generator's
latent model), predictions and events recorded in ClickHouse, outcomes labelled, and an
evaluation table per model at the end, with an HTML report.`;

function num(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max)
    throw new Error(`--${name} must be a number in [${min}, ${max}], got ${JSON.stringify(raw)}`);
  return v;
}

export function parseDemoArgs(argv: string[]): DemoArgs | "help" {
  const { values: a } = parseArgs({
    args: argv,
    options: {
      minutes: { type: "string" },
      rate: { type: "string" },
      requests: { type: "string" },
      models: { type: "string" },
      candidates: { type: "string" },
      users: { type: "string" },
      seed: { type: "string" },
      "report-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (a.help) return "help";
  const models = (a.models ?? "")
    .split(",")
    .map((m) => m.trim())
    .filter((m) => m !== "");
  for (const m of models)
    if (!/^[a-z][a-z0-9_-]{0,63}$/.test(m)) throw new Error(`--models: ${JSON.stringify(m)} is not a model name`);
  return {
    minutes: num("minutes", a.minutes, 2, 0.1, 120),
    rate: num("rate", a.rate, 150, 1, 100_000),
    requestRate: num("requests", a.requests, 15, 0.1, 10_000),
    models,
    candidates: Math.round(num("candidates", a.candidates, 20, 1, 1000)),
    users: Math.round(num("users", a.users, 2000, 1, 10_000_000)),
    seed: Math.round(num("seed", a.seed, 1, 0, 2 ** 31)),
    reportDir: a["report-dir"] ?? "reports",
  };
}
