import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Manifest } from "@seqlane/features";
import { validateManifest } from "@seqlane/models";
import type { SequenceSpec } from "@seqlane/sequences";
import { labelledCount, modelName, type Warehouse } from "@seqlane/warehouse";
import { checkParity, type ParityResult } from "../models/parity.js";
import { publishModel } from "../models/publish.js";
import { samplesFromClickHouse, type ClickHouseSamplesSummary } from "../samples/samples-clickhouse.js";
import { ParityError, TooFewLabelledError, TrainError, VenvMissingError, type TrainStep } from "./errors.js";
import { runSeqlaneTrain } from "./python.js";
import { nextVersion } from "./version.js";

export interface TrainOptions {
  /** Model of training/'s zoo (`python -m seqlane_train fit --model`), e.g. pooling or din. */
  readonly model: string;
  /** Labelled predictions with fromMs <= ts < toMs (epoch ms) are the training rows. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly warehouse: Warehouse;
  /** Registry directory to publish into (`<registry>/<model>/<version>/`). */
  readonly registry: string;
  /** Default: one more than the registry's newest integer version of the model. */
  readonly version?: string;
  /** Fewest labelled predictions to train on. */
  readonly minLabelled: number;
  /** Python of the training venv. */
  readonly python: string;
  /** Extra flags for `python -m seqlane_train fit` (e.g. --epochs 1). */
  readonly fitArgs?: readonly string[];
  /** Keep the samples and fit output in this directory (default: a temporary one, removed). */
  readonly keep?: string;
  /** The sequence spec and lateness of ingest, so the samples' sequences are serving's. */
  readonly spec: SequenceSpec;
  readonly allowedLatenessMs: number;
  /** One line per step and per line of fit's progress. */
  readonly progress?: (step: TrainStep, line: string) => void;
}

export interface TrainResult {
  readonly model: string;
  readonly version: string;
  /** The published version directory. */
  readonly dir: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly samples: ClickHouseSamplesSummary;
  readonly parity: ParityResult;
  /** fit's test-split metrics (auc, gauc, logloss, ...), as it printed them. */
  readonly test: Readonly<Record<string, unknown>>;
  /** Where the samples and fit output were kept, when `keep` was given. */
  readonly kept?: string;
}

/**
 * `seqlane train`: point-in-time samples from ClickHouse (samplesFromClickHouse), training/'s
 * `fit` in its venv (which exports model.onnx, manifest.json and parity files), the parity
 * check of onnxruntime-node against PyTorch, and `publishModel` into the registry. Any failure
 * throws a TrainError naming the step, and nothing is published.
 */
export async function trainModel(o: TrainOptions): Promise<TrainResult> {
  const say = o.progress ?? (() => undefined);
  const model = modelName(o.model);
  const python = resolve(o.python);
  if (!existsSync(python)) throw new VenvMissingError(o.python);
  const version = o.version === undefined ? await nextVersion(o.registry, model) : modelName(o.version, "version");
  if (existsSync(join(o.registry, model, version)))
    throw new TrainError("publish", `${join(o.registry, model, version)} exists: choose another --version`);

  const t0 = Date.now();
  const window = { database: o.warehouse.database, fromMs: o.fromMs, toMs: o.toMs };
  const [count] = await o.warehouse.query<{ rows: string; clicked: string; users: string }>(labelledCount(window));
  const found = Number(count?.rows ?? 0);
  const clicked = Number(count?.clicked ?? 0);
  say(
    "query",
    `${found} labelled predictions (${clicked} clicked) of ${Number(count?.users ?? 0)} users in ${span(o)}`,
  );
  if (found < o.minLabelled || clicked === 0 || clicked === found)
    throw new TooFewLabelledError(found, clicked, o.minLabelled, o.fromMs, o.toMs);

  const work = o.keep === undefined ? await mkdtemp(join(tmpdir(), "seqlane-train-")) : resolve(o.keep);
  await mkdir(work, { recursive: true });
  try {
    const manifestPath = join(work, "manifest.json");
    await runSeqlaneTrain(python, "manifest", ["--model", model, "--out", manifestPath], (l) => say("manifest", l));
    const manifest: Manifest = validateManifest(JSON.parse(await readFile(manifestPath, "utf8")), manifestPath);
    say("manifest", `${manifest.name}: ${manifest.slots.length} sequence slots, tasks ${manifest.tasks.join(", ")}`);

    const data = join(work, "samples");
    const t1 = Date.now();
    const samples = await samplesFromClickHouse(o.warehouse, window, data, manifest, o.spec, {
      allowedLatenessMs: o.allowedLatenessMs,
      onProgress: (events, rows) => say("samples", `${events} events replayed, ${rows} rows`),
    });
    const invalid = Object.values(samples.invalid).reduce((a, b) => a + (b ?? 0), 0);
    say(
      "samples",
      `${samples.rows} rows (clicks ${samples.positives.click}, carts ${samples.positives.cart}, purchases ${samples.positives.purchase}) ` +
        `from ${samples.events} events of ${samples.users} users${invalid ? ` (${invalid} invalid skipped)` : ""} in ${secs(t1)}`,
    );

    const out = join(work, "model");
    const t2 = Date.now();
    const fit = await runSeqlaneTrain(
      python,
      "fit",
      ["--model", model, "--data", data, "--out", out, "--version", version, ...(o.fitArgs ?? [])],
      (l) => say("fit", l.trimEnd()),
    );
    say("fit", `done in ${secs(t2)}`);
    const test = fitTestMetrics(fit.stdout);

    for (const f of ["model.onnx", "manifest.json", join("parity", "meta.json")])
      if (!existsSync(join(out, f)))
        throw new TrainError("export", `fit wrote no ${f} in ${out} (was --no-export among the fit flags?)`);
    const exported = validateManifest(JSON.parse(await readFile(join(out, "manifest.json"), "utf8")), out);
    if (exported.name !== model || exported.version !== version)
      throw new TrainError(
        "export",
        `fit exported ${exported.name} v${exported.version}, expected ${model} v${version}`,
      );
    say(
      "export",
      `model.onnx (${Math.round((await stat(join(out, "model.onnx"))).size / 1024)} KiB), manifest.json, parity files`,
    );

    const parity = await checkParity(out);
    if (!(parity.maxAbsDiff <= parity.tolerance)) throw new ParityError(parity.maxAbsDiff, parity.tolerance);
    say(
      "parity",
      `onnxruntime-node vs PyTorch: max |diff| ${parity.maxAbsDiff.toExponential(2)} <= ${parity.tolerance}`,
    );

    const published = await publishModel(out, o.registry, { requireParity: true });
    say("publish", `${published.name} v${published.version} -> ${published.dir} (${secs(t0)} in all)`);
    return {
      model,
      version: published.version,
      dir: published.dir,
      fromMs: o.fromMs,
      toMs: o.toMs,
      samples,
      parity,
      test,
      ...(o.keep === undefined ? {} : { kept: work }),
    };
  } finally {
    if (o.keep === undefined) await rm(work, { recursive: true, force: true });
  }
}

/** fit prints one JSON line {model, test, parity} last on stdout. */
function fitTestMetrics(stdout: string): Readonly<Record<string, unknown>> {
  const last = stdout.trim().split("\n").at(-1) ?? "";
  try {
    const r = JSON.parse(last) as { test?: Record<string, unknown> };
    return r.test ?? {};
  } catch {
    return {};
  }
}

const span = (o: { fromMs: number; toMs: number }): string =>
  `${new Date(o.fromMs).toISOString()} .. ${new Date(o.toMs).toISOString()}`;
const secs = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;
