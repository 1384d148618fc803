import { clickhouse, load, redis as redisSpec, rollout, scorer } from "@seqlane/config";
import { readRouting } from "@seqlane/models";
import { parseSplit } from "@seqlane/scorer";
import { runService } from "@seqlane/service";
import { compareShadow, createWarehouse, latestDecisions, modelName } from "@seqlane/warehouse";
import { Redis } from "ioredis";
import { parseCommand } from "../args.js";
import { assess, decide, type Assessment, type DecideBase } from "./decide.js";
import { DecideJobs } from "./job.js";
import { cliUser } from "./manual.js";
import { modelsWithCanary, registryModels, registryVersions } from "./registry.js";
import { armsTable, decisionLine, routingLine, shadowLines } from "./status.js";

/** `seqlane models status`: routing, latest decision, live arms and shadows of each model. */
export async function statusCommand(
  base: DecideBase,
  o: { model?: string; sinceMs: number; split: string },
): Promise<number> {
  const models = o.model !== undefined ? [o.model] : await registryModels(base.registry);
  if (models.length === 0) {
    console.log(`no models in ${base.registry}`);
    return 0;
  }
  let split: ReturnType<typeof parseSplit>;
  try {
    split = parseSplit(o.split);
  } catch {
    split = new Map();
  }
  let failed = false;
  const now = Date.now();
  for (const [i, model] of models.entries()) {
    if (i > 0) console.log("");
    const versions = await registryVersions(base.registry, model);
    console.log(`${model}: versions ${versions.join(", ") || "(none)"}`);
    let state;
    try {
      state = (await readRouting(base.registry, model)).state;
    } catch (e) {
      console.log(`  routing.json: ${e instanceof Error ? e.message : String(e)} (scorers keep the previous routing)`);
      failed = true;
      continue;
    }
    const entries = split.get(model);
    console.log(`  ${routingLine(state, entries?.map((e) => `${e.version}:${e.weight}`).join(","), versions.at(-1))}`);
    try {
      const [latest] = await base.warehouse.query<Record<string, unknown>>(
        latestDecisions({ database: base.warehouse.database, model }),
      );
      console.log(`  ${decisionLine(latest)}`);
      if (state?.canary != null) {
        const a = await assess({ ...base, model, now });
        console.log(indent(`live arms since the canary started:\n${armsTable(a.figures!, a)}`));
      }
      for (const shadow of state?.shadow ?? []) {
        const s = await compareShadow(base.warehouse, {
          model,
          shadow,
          served: state!.serving,
          fromMs: o.sinceMs,
          toMs: now,
          maxRows: base.maxRows,
        });
        console.log(indent(shadowLines(s, o.sinceMs)));
      }
    } catch (e) {
      console.log(`  ClickHouse: ${e instanceof Error ? e.message : String(e)}`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

const indent = (text: string): string =>
  text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");

function summary(model: string, a: Assessment & { routing?: unknown; row?: unknown }, dryRun: boolean): string {
  if (a.action === undefined) return `${model}: no canary, nothing to decide`;
  const done = dryRun
    ? "dry run, nothing recorded or changed"
    : a.action === "wait"
      ? "recorded"
      : "recorded, routing.json updated";
  return `${model}: ${a.action} (${done}): ${a.reason}`;
}

/** `seqlane models decide [--model M] [--dry-run]`, or `--worker`: the repeatable decide job. */
export async function decideCommand(argv: string[], usage: string): Promise<number> {
  const a = parseCommand(
    "models decide",
    argv,
    {
      model: { type: "string" },
      "dry-run": { type: "boolean" },
      worker: { type: "boolean" },
      registry: { type: "string" },
    },
    usage,
  );
  if (typeof a === "number") return a;
  if (a.worker) return worker();
  try {
    if (a.model !== undefined) modelName(a.model);
  } catch (e) {
    console.error(`seqlane models decide: ${e instanceof Error ? e.message : String(e)}\n\n${usage}`);
    return 2;
  }
  const ch = load(clickhouse);
  const wh = createWarehouse({ url: ch.url, database: ch.database, username: ch.user, password: ch.password });
  const base: DecideBase = {
    warehouse: wh,
    registry: a.registry ?? load(scorer).registryDir,
    by: cliUser(),
    ...ruleFromConfig(),
  };
  try {
    const models = a.model !== undefined ? [a.model] : await modelsWithCanary(base.registry);
    if (models.length === 0) console.log(`no model in ${base.registry} has a canary`);
    let failed = false;
    for (const model of models) {
      try {
        const d = a["dry-run"] ? await assess({ ...base, model }) : await decide({ ...base, model });
        console.log(summary(model, d, a["dry-run"] === true));
      } catch (e) {
        console.error(`seqlane models decide: ${model}: ${e instanceof Error ? e.message : String(e)}`);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  } finally {
    await wh.close();
  }
}

/** The declared rule and the row bound, from libs/config's rollout section (SEQLANE_CANARY_*). */
export function ruleFromConfig(): Pick<DecideBase, "rule" | "maxRows"> {
  const r = load(rollout);
  return {
    rule: {
      minLabelled: r.minLabelled,
      aucMargin: r.aucMargin,
      loglossMargin: r.loglossMargin,
      calibrationMin: r.calibrationMin,
      calibrationMax: r.calibrationMax,
    },
    maxRows: r.maxRows,
  };
}

/** `seqlane models decide --worker`: the repeatable decide job, as a service (signals, logger, exit codes). */
async function worker(): Promise<number> {
  await runService({
    name: "seqlane-decide",
    config: { rollout, clickhouse, redis: redisSpec, scorer },
    async start({ cfg, logger }) {
      const ch = cfg.clickhouse;
      const wh = createWarehouse({ url: ch.url, database: ch.database, username: ch.user, password: ch.password });
      const connection = new Redis(cfg.redis.url, { maxRetriesPerRequest: null });
      connection.on("error", () => undefined); // ioredis reconnects; BullMQ reports what matters
      const jobs = new DecideJobs({
        connection,
        prefix: `${cfg.redis.keyPrefix}bull`,
        everyMs: cfg.rollout.decideEveryMs,
        attempts: cfg.rollout.decideAttempts,
        base: { warehouse: wh, registry: cfg.scorer.registryDir, by: "job", ...ruleFromConfig() },
        onDone: (model, d) => logger.info("decision", { model, action: d.action ?? "none", reason: d.reason }),
        onFailed: (model, e, willRetry) => logger.warn("decide job failed", { model, error: e.message, willRetry }),
      });
      await jobs.start();
      if (jobs.enabled) logger.info("decide job scheduled", { everyMs: cfg.rollout.decideEveryMs });
      else logger.info("decide job off (set SEQLANE_DECIDE_EVERY_MS); schedule removed");
      return {
        async stop() {
          await jobs.close();
          connection.disconnect();
          await wh.close();
        },
      };
    },
  });
  return 0;
}
