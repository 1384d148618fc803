import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { compareVersions, readRouting, ROUTING_FILE } from "@seqlane/models";

/** Version directories of a model in the registry (those with a manifest.json), oldest first. */
export async function registryVersions(registry: string, model: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(registry, model), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter(
      (e) => e.isDirectory() && !e.name.startsWith(".") && existsSync(join(registry, model, e.name, "manifest.json")),
    )
    .map((e) => e.name)
    .sort(compareVersions);
}

/** Models of the registry (directories), sorted. */
export async function registryModels(registry: string): Promise<string[]> {
  try {
    const entries = await readdir(registry, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && !e.name.startsWith("."))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Models whose routing.json has a canary: what the decide job decides on. Invalid files are skipped. */
export async function modelsWithCanary(registry: string): Promise<string[]> {
  const out: string[] = [];
  for (const model of await registryModels(registry)) {
    if (!existsSync(join(registry, model, ROUTING_FILE))) continue;
    const state = await readRouting(registry, model)
      .then((r) => r.state)
      .catch(() => undefined);
    if (state?.canary != null) out.push(model);
  }
  return out;
}
