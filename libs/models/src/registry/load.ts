import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BatcherOptions } from "../batcher/batcher.js";
import { ManifestError, ModelLoadError } from "../errors.js";
import { validateManifest } from "../manifest/validate.js";
import { LoadedModel } from "../model/model.js";
import { tuneBatchRows, type BatchTuning } from "../model/tune.js";
import { warmUpAndCheck } from "../model/warmup.js";
import type { SessionConfig } from "../session/open.js";
import { openRunner } from "../session/runner.js";

function expectedInputs(m: LoadedModel["manifest"]): Set<string> {
  const names = new Set<string>();
  for (const s of m.slots) {
    for (const f of s.fields) names.add(f.tensor);
    if (s.mask !== undefined) names.add(s.mask);
  }
  for (const f of m.candidate) names.add(f.tensor);
  for (const f of m.context ?? []) names.add(f.tensor);
  names.add(m.cand_user_index);
  return names;
}

/**
 * Loads `<dir>/model.onnx` + `manifest.json` as model `name` version `version`: validate the
 * manifest, open a session, match inputs/outputs, warm up every length bucket and check
 * outputs. Returns a model ready to swap in, or throws ModelLoadError naming the stage.
 */
export async function loadVersion(
  dir: string,
  name: string,
  version: string,
  session: SessionConfig,
  batching: BatcherOptions,
): Promise<{
  model: LoadedModel;
  warmups: number;
  skipped: readonly { provider: string; reason: string }[];
  /** Manifest tensors the graph does not take (not fed). */
  unused: readonly string[];
  /** The measured batch-size curve and chosen row limit, when batching.tune is on. */
  tuning?: BatchTuning;
}> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
  } catch (e) {
    throw new ModelLoadError(name, version, "read", `manifest.json: ${e instanceof Error ? e.message : String(e)}`, {
      retriable: true,
      cause: e,
    });
  }
  let manifest;
  try {
    manifest = validateManifest(raw, join(dir, "manifest.json"));
  } catch (e) {
    throw new ModelLoadError(name, version, "manifest", e instanceof ManifestError ? e.message : String(e), {
      cause: e,
    });
  }
  if (manifest.name !== name || manifest.version !== version)
    throw new ModelLoadError(
      name,
      version,
      "manifest",
      `manifest names ${manifest.name}/${manifest.version}, directory is ${name}/${version}`,
    );
  let opened;
  try {
    opened = await openRunner(join(dir, "model.onnx"), session);
  } catch (e) {
    throw new ModelLoadError(name, version, "session", e instanceof Error ? e.message : String(e), {
      retriable: true,
      cause: e,
    });
  }
  const model = new LoadedModel(manifest, opened, batching);
  try {
    const want = expectedInputs(manifest);
    const have = new Set(opened.inputNames);
    // Every graph input must be something the manifest builds. The reverse is allowed: exporters
    // (torch.onnx) prune inputs the model ignores, and such tensors are simply not fed.
    const missing = [...have].filter((n) => !want.has(n));
    const unused = [...want].filter((n) => !have.has(n));
    if (missing.length > 0)
      throw new ModelLoadError(
        name,
        version,
        "inputs",
        `graph inputs the manifest does not build: [${missing.join(", ")}]`,
      );
    const outs = new Set(opened.outputNames);
    for (const [task, tensor] of Object.entries(manifest.outputs))
      if (!outs.has(tensor))
        throw new ModelLoadError(name, version, "inputs", `output ${tensor} of task ${task} is not a graph output`);
    let warmups: number;
    try {
      warmups = await warmUpAndCheck(model);
    } catch (e) {
      throw new ModelLoadError(name, version, "check", e instanceof Error ? e.message : String(e), { cause: e });
    }
    let tuning: BatchTuning | undefined;
    if (batching.enabled && batching.tune === true) {
      tuning = await tuneBatchRows(model, batching.maxRows);
      model.setBatchRows(tuning.rows);
    }
    return { model, warmups, skipped: opened.skipped, unused, ...(tuning !== undefined && { tuning }) };
  } catch (e) {
    await model.release().catch(() => undefined);
    throw e;
  }
}
