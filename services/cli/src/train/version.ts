import { readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * The version a new training run publishes as: one more than the newest integer version of
 * `model` in the registry ("1" for a model the registry does not have yet). Versions with other
 * names (`din_v2`) do not count; hidden directories are publish's temporaries.
 */
export async function nextVersion(registry: string, model: string): Promise<string> {
  let names: string[];
  try {
    names = (await readdir(join(registry, model), { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith("."))
      .map((e) => e.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "1";
    throw e;
  }
  const newest = names.filter((n) => /^\d+$/.test(n)).reduce((max, n) => Math.max(max, Number(n)), 0);
  return String(newest + 1);
}
