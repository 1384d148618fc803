import {
  clickhouse,
  ingest as ingestSpec,
  load,
  redis as redisSpec,
  scorer,
  train as trainSpec,
} from "@seqlane/config";
import { runService } from "@seqlane/service";
import { loadSpec } from "@seqlane/sequences";
import { createWarehouse, parseDuration, parseSince } from "@seqlane/warehouse";
import { Redis } from "ioredis";
import { parseCommand } from "../args.js";
import { TrainJobs } from "../train/job.js";
import { trainModel, type TrainResult } from "../train/train-model.js";

const USAGE = `usage: seqlane train --model M [--since 24h] [--until T] [--registry DIR] [--version V]
                     [--min-labelled N] [--python PATH] [--keep DIR] [-- FIT FLAGS...]
       seqlane train --worker

Retrains a model from what ClickHouse recorded and publishes it as a new version:
  query    the labelled predictions (outcomes) of the window, as \`seqlane eval\` reads them
  samples  one row per labelled prediction, with the user's sequences as the scorer saw them
           then: the user's recorded events replayed in Kafka order through ingest's apply(),
           up to the prediction's time (docs/samples.md)
  fit      python -m seqlane_train fit in the training venv (its epoch/step lines stream through)
  export   model.onnx, manifest.json and parity files, as fit wrote them
  parity   onnxruntime-node against PyTorch on the parity files (nothing is published on a failure)
  publish  into <registry>/<model>/<version>/, which running scorers pick up without a restart

  --model M          model of training/'s zoo (pooling, din, ...)
  --since T          window start: a duration back from now or an ISO date/time (default SEQLANE_TRAIN_SINCE)
  --until T          window end, same forms (default now)
  --registry DIR     default SEQLANE_MODEL_REGISTRY
  --version V        default: one more than the registry's newest integer version of the model
  --min-labelled N   fewest labelled predictions to train on (default SEQLANE_TRAIN_MIN_LABELLED)
  --python PATH      the training venv's python (default SEQLANE_TRAIN_PYTHON; make it with
                     bash training/scripts/venv.sh)
  --keep DIR         keep the samples (DIR/samples) and fit's output (DIR/model) there
  --fit-arg=FLAG     one more flag for fit (repeatable); or put fit's flags after --, e.g.
                     -- --epochs 3 --threads 2 (after SEQLANE_TRAIN_FIT_ARGS)
  --worker           run the repeatable train job (BullMQ): SEQLANE_TRAIN_MODELS every
                     SEQLANE_TRAIN_EVERY_MS over the last SEQLANE_TRAIN_SINCE, until SIGTERM

Progress goes to stderr, one line per step; the published version to stdout. Exit 0 published,
1 failed (one line says why: too few labelled predictions, no venv, fit, parity), 2 bad usage.`;

export async function run(argv: string[]): Promise<number> {
  const dashes = argv.indexOf("--");
  const rest = dashes < 0 ? [] : argv.slice(dashes + 1);
  const a = parseCommand(
    "train",
    dashes < 0 ? argv : argv.slice(0, dashes),
    {
      model: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      registry: { type: "string" },
      version: { type: "string" },
      "min-labelled": { type: "string" },
      python: { type: "string" },
      keep: { type: "string" },
      "fit-arg": { type: "string", multiple: true },
      worker: { type: "boolean" },
    },
    USAGE,
  );
  if (typeof a === "number") return a;
  if (a.worker) return worker();
  const cfg = load(trainSpec);
  const now = Date.now();
  let o;
  try {
    if (a.model === undefined) throw new Error("--model is required");
    const minLabelled = a["min-labelled"] === undefined ? cfg.minLabelled : Number(a["min-labelled"]);
    if (!Number.isSafeInteger(minLabelled) || minLabelled < 1)
      throw new Error(`--min-labelled must be a positive integer, got ${JSON.stringify(a["min-labelled"])}`);
    const fromMs = parseSince(a.since ?? cfg.since, now, "--since");
    const toMs = a.until === undefined ? now : parseSince(a.until, now, "--until");
    if (fromMs >= toMs) throw new Error("--since must be before --until");
    o = {
      model: a.model,
      fromMs,
      toMs,
      registry: a.registry ?? load(scorer).registryDir,
      ...(a.version === undefined ? {} : { version: a.version }),
      minLabelled,
      python: a.python ?? cfg.python,
      fitArgs: [...splitArgs(cfg.fitArgs), ...(a["fit-arg"] ?? []), ...rest],
      ...(a.keep === undefined ? {} : { keep: a.keep }),
    };
  } catch (e) {
    console.error(`seqlane train: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  const ing = load(ingestSpec);
  const ch = load(clickhouse);
  const wh = createWarehouse({
    url: ch.url,
    database: ch.database,
    username: ch.user,
    password: ch.password,
    requestTimeoutMs: 600_000,
  });
  try {
    const r = await trainModel({
      ...o,
      warehouse: wh,
      spec: loadSpec(ing.sequenceSpecPath),
      allowedLatenessMs: ing.allowedLatenessMs,
      progress: (step, line) => console.error(`[train] ${step}${step === "fit" ? " |" : ":"} ${line}`),
    });
    console.log(summary(r));
    return 0;
  } catch (e) {
    console.error(`seqlane train: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await wh.close();
  }
}

function summary(r: TrainResult): string {
  const auc = typeof r.test["auc"] === "number" ? `, test auc ${r.test["auc"].toFixed(4)}` : "";
  const kept = r.kept === undefined ? "" : `; samples and fit output kept in ${r.kept}`;
  return `published ${r.model} v${r.version} to ${r.dir} (${r.samples.rows} samples${auc}, parity max |diff| ${r.parity.maxAbsDiff.toExponential(2)})${kept}`;
}

/** SEQLANE_TRAIN_FIT_ARGS: flags separated by spaces (no quoting; fit's flags take no spaces). */
const splitArgs = (s: string): string[] => s.split(/\s+/).filter((x) => x !== "");

/** `seqlane train --worker`: the repeatable train job, as a service (signals, logger, exit codes). */
async function worker(): Promise<number> {
  await runService({
    name: "seqlane-train",
    config: { train: trainSpec, clickhouse, redis: redisSpec, scorer, ingest: ingestSpec },
    async start({ cfg, logger }) {
      const t = cfg.train;
      const ch = cfg.clickhouse;
      const wh = createWarehouse({
        url: ch.url,
        database: ch.database,
        username: ch.user,
        password: ch.password,
        requestTimeoutMs: 600_000,
      });
      const connection = new Redis(cfg.redis.url, { maxRetriesPerRequest: null });
      connection.on("error", () => undefined); // ioredis reconnects; BullMQ reports what matters
      const jobs = new TrainJobs({
        connection,
        prefix: `${cfg.redis.keyPrefix}bull`,
        models: t.models,
        everyMs: t.everyMs,
        sinceMs: parseDuration(t.since, "SEQLANE_TRAIN_SINCE"),
        attempts: t.attempts,
        base: {
          warehouse: wh,
          registry: cfg.scorer.registryDir,
          minLabelled: t.minLabelled,
          python: t.python,
          fitArgs: splitArgs(t.fitArgs),
          spec: loadSpec(cfg.ingest.sequenceSpecPath),
          allowedLatenessMs: cfg.ingest.allowedLatenessMs,
          progress: (step, line) => logger.info(line, { step }),
        },
        onDone: (model, r) => logger.info("train job published", { model, version: r.version, summary: summary(r) }),
        onFailed: (model, e, willRetry) => logger.warn("train job failed", { model, error: e.message, willRetry }),
      });
      await jobs.start();
      if (jobs.enabled)
        logger.info("train job scheduled", { models: t.models.join(","), everyMs: t.everyMs, since: t.since });
      else logger.info("train job off (set SEQLANE_TRAIN_MODELS and SEQLANE_TRAIN_EVERY_MS); schedules removed");
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
