import { describe, expect, it } from "vitest";
import { dinFixture, ManifestError, poolingFixture, validateManifest } from "../../src/index.js";

// Tests break manifests in arbitrary ways, so they handle them as untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any>;
const valid = () => JSON.parse(JSON.stringify(dinFixture({ itemBuckets: 10, catBuckets: 10 }).manifest)) as Mutable;

function issues(mutate: (m: Mutable) => void): string[] {
  const m = valid();
  mutate(m);
  try {
    validateManifest(m);
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return (e as ManifestError).issues.map((i) => `${i.path}: ${i.problem}`);
  }
  return [];
}

describe("validateManifest", () => {
  it("accepts the fixture manifests", () => {
    expect(validateManifest(valid()).name).toBe("din");
    expect(validateManifest(poolingFixture({ itemBuckets: 10 }).manifest).name).toBe("pooling");
  });
  it("names the field and the reason", () => {
    expect(issues((m) => (m.manifest_version = 2))).toEqual(["manifest_version: must be 1, got 2"]);
    expect(issues((m) => (m.name = "Din!"))).toEqual(['name: must match ^[a-z][a-z0-9_-]{0,63}$, got "Din!"']);
    expect(issues((m) => delete m.tasks)).toEqual(["tasks: is required (an array)"]);
    expect(issues((m) => (m.tasks = ["ctr", "ltv"]))).toEqual(['tasks[1]: "ltv" is not one of ctr, cvr, ctcvr']);
    expect(issues((m) => (m.slots[0].max_len = 0))).toContain("slots[0].max_len: must be >= 1, got 0");
    expect(issues((m) => (m.slots[0].source = "clicks"))).toEqual([
      'slots[0].source: "clicks" is not one of short_mixed, long_click, long_purchase, device_click, exposure',
    ]);
    expect(issues((m) => (m.slots[0].fields[0].buckets = 1.5))).toEqual([
      "slots[0].fields[0].buckets: must be an integer, got number",
      "slots[0].fields[0].buckets: must be >= 2, got 1.5",
    ]);
    expect(issues((m) => (m.slots[0].extra = true))).toEqual([
      "slots[0].extra: is not allowed (allowed: name, source, view, types, max_len, length_buckets, max_sessions, padding, fields, mask)",
    ]);
  });
  it("checks rules beyond the schema", () => {
    expect(issues((m) => (m.slots[0].length_buckets = [50, 25, 100]))).toEqual([
      "slots[0].length_buckets[1]: must be greater than the one before (ascending)",
    ]);
    expect(issues((m) => (m.slots[0].length_buckets = [25, 50]))).toEqual([
      "slots[0].length_buckets: last bucket must equal max_len 100 (got 50)",
    ]);
    expect(issues((m) => delete m.slots[0].fields[0].buckets)).toEqual([
      "slots[0].fields[0].buckets: is required for field item",
    ]);
    expect(issues((m) => (m.candidate[0].tensor = "clicks_item"))).toEqual([
      'candidate[0].tensor: tensor name "clicks_item" is already used by slots[0].fields[0].tensor',
    ]);
    expect(issues((m) => delete m.outputs.cvr)).toEqual(["outputs.cvr: is required because tasks lists cvr"]);
    expect(issues((m) => (m.slots[0].view = "sessions"))).toEqual([
      "slots[0].max_sessions: is required when view is sessions",
    ]);
  });
  it("error message lists every issue", () => {
    const m = valid();
    m.name = 3;
    m.version = "";
    expect(() => validateManifest(m, "x/manifest.json")).toThrow(
      /invalid manifest x\/manifest.json: name: must be a string.*; version: must match/,
    );
  });
});
