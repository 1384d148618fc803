import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { validateManifest } from "@seqlane/models";
import { checkParity, type ParityResult } from "./parity.js";

export interface PublishResult {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly parity: ParityResult | undefined;
}

export class PublishError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = "PublishError";
  }
}

/**
 * Validates an exported model (manifest schema, parity of onnxruntime-node with PyTorch) and
 * copies it into `<registry>/<name>/<version>/` through a temporary directory and one rename,
 * so a polling scorer never sees half a version. An existing version is never overwritten.
 */
export async function publishModel(
  from: string,
  registry: string,
  opts: { requireParity?: boolean } = {},
): Promise<PublishResult> {
  const manifestPath = join(from, "manifest.json");
  if (!existsSync(join(from, "model.onnx"))) throw new PublishError(`${from}: no model.onnx`);
  if (!existsSync(manifestPath)) throw new PublishError(`${from}: no manifest.json`);
  const manifest = validateManifest(JSON.parse(await readFile(manifestPath, "utf8")), manifestPath);
  let parity: ParityResult | undefined;
  if (existsSync(join(from, "parity", "meta.json"))) {
    parity = await checkParity(from);
    if (!(parity.maxAbsDiff <= parity.tolerance))
      throw new PublishError(
        `${manifest.name} v${manifest.version}: onnxruntime-node differs from PyTorch by ${parity.maxAbsDiff} (tolerance ${parity.tolerance})`,
      );
  } else if (opts.requireParity)
    throw new PublishError(`${from}: no parity/meta.json (export with training's parity files)`);

  const parent = join(registry, manifest.name);
  const dir = join(parent, manifest.version);
  if (existsSync(dir))
    throw new PublishError(`${dir} exists: publish a new version instead of overwriting one in service`);
  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.tmp-${manifest.version}-${process.pid}-${Date.now()}`);
  try {
    await cp(from, tmp, { recursive: true });
    await rename(tmp, dir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return { name: manifest.name, version: manifest.version, dir, parity };
}
