import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ManifestError, validateManifest } from "../../src/index.js";

// The shared manifest vectors; training/tests/test_manifest_vectors.py reads the same files.
const dir = new URL("../../../contracts/vectors/manifest/", import.meta.url);

interface Vector {
  readonly description: string;
  readonly manifest: unknown;
  readonly valid: boolean;
  /** Paths of the expected issues, sorted; a path appears once per issue. */
  readonly issues: readonly string[];
}

const vectors = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), "utf8")) as Vector] as const);

function issuePaths(manifest: unknown): string[] {
  try {
    validateManifest(manifest);
    return [];
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    return e.issues.map((i) => i.path).sort();
  }
}

describe("manifest vectors (libs/contracts/vectors/manifest)", () => {
  it("has the valid and invalid vectors the contract needs", () => {
    expect(vectors.filter(([, v]) => v.valid).length).toBeGreaterThanOrEqual(6);
    expect(vectors.filter(([, v]) => !v.valid).length).toBeGreaterThanOrEqual(15);
  });
  it.each(vectors)("%s", (_file, v) => {
    expect(v.valid).toBe(v.issues.length === 0);
    expect(issuePaths(v.manifest)).toEqual([...v.issues].sort());
  });
});
