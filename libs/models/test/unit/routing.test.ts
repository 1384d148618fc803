import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ModelRegistry,
  RoutingConflictError,
  RoutingError,
  checkRouting,
  promote,
  readRouting,
  rollback,
  routingPath,
  setShadow,
  silentLogger,
  startCanary,
  writeRouting,
} from "../../src/index.js";

const issuesOf = (value: unknown): string[] => {
  try {
    checkRouting(value);
  } catch (e) {
    if (e instanceof RoutingError) return e.issues.map((i) => `${i.path}: ${i.problem}`);
    throw e;
  }
  return [];
};

describe("routing.json validation (schemas/routing.v1.schema.json)", () => {
  const ok = { schema: 1, serving: "3", canary: { version: "4", share: 0.1, started_at: 1 }, shadow: ["5"] };
  it("accepts a full state and a serving-only one", () => {
    expect(issuesOf(ok)).toEqual([]);
    expect(issuesOf({ schema: 1, serving: "3", canary: null })).toEqual([]);
  });
  it.each([
    [{ ...ok, serving: undefined }, /^serving: is required/],
    [{ ...ok, serving: 3 }, /^serving: must be a string, got integer/],
    [{ ...ok, canary: { ...ok.canary, share: 1.5 } }, /^canary\.share: must be <= 1, got 1\.5/],
    [{ ...ok, canary: { ...ok.canary, share: 0 } }, /^canary\.share: must be > 0, got 0/],
    [{ ...ok, canary: { version: "4", share: 0.1 } }, /^canary\.started_at: is required/],
    [{ ...ok, shadow: ["5", "5"] }, /^shadow: must not repeat items/],
    [{ ...ok, shadow: ["bad version"] }, /^shadow\[0\]: must match/],
    [{ ...ok, schema: 2 }, /^schema: must be 1, got 2/],
    [{ ...ok, extra: true }, /^extra: is not allowed/],
    [{ ...ok, canary: { ...ok.canary, version: "3" } }, /^canary\.version: must differ from serving \(3\)/],
    [{ ...ok, shadow: ["4"] }, /^shadow\[0\]: 4 is the canary version/],
  ])("%j is refused, naming the field", (value, want) => {
    const issues = issuesOf(value);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((i) => want.test(i))).toBe(true);
  });
  it("reports every bad field at once", () => {
    expect(issuesOf({ schema: 1, serving: "", canary: { version: "4", share: 2, started_at: -1 } })).toHaveLength(3);
  });
});

describe("routing transitions", () => {
  const t = { now: 1000, by: "cli:test" };
  it("canary, shadow, promote and rollback keep the file valid", () => {
    const c = startCanary(undefined, { version: "4", share: 0.2, serving: "3" }, t);
    expect(c).toEqual({
      schema: 1,
      serving: "3",
      canary: { version: "4", share: 0.2, started_at: 1000 },
      updated_at: 1000,
      updated_by: "cli:test",
    });
    const s = setShadow(c, { version: "5" }, t);
    expect(s.shadow).toEqual(["5"]);
    expect(promote(s, "4", t)).toMatchObject({ serving: "4", shadow: ["5"] });
    expect(promote(s, "4", t).canary).toBeUndefined();
    expect(rollback(s, t)).toMatchObject({ serving: "3", shadow: ["5"] });
    expect(rollback(s, t).canary).toBeUndefined();
    expect(startCanary(s, { version: "5", share: 0.1 }, t).shadow).toBeUndefined();
    expect(() => startCanary(undefined, { version: "4", share: 0.1 }, t)).toThrow(/no serving version/);
  });
});

describe("routing.json on disk", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "seqlane-routing-"));
    await mkdir(join(dir, "din"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("writes atomically (no temp file left), reads back, refuses a concurrent change", async () => {
    expect((await readRouting(dir, "din")).state).toBeUndefined();
    const first = await readRouting(dir, "din");
    await writeRouting(dir, "din", { schema: 1, serving: "3" }, first);
    expect(await readdir(join(dir, "din"))).toEqual(["routing.json"]);
    const read = await readRouting(dir, "din");
    expect(read.state).toEqual({ schema: 1, serving: "3" });
    // Someone else writes in between: the stale read may not overwrite it.
    await writeRouting(dir, "din", { schema: 1, serving: "4" });
    await expect(writeRouting(dir, "din", { schema: 1, serving: "5" }, read)).rejects.toBeInstanceOf(
      RoutingConflictError,
    );
    expect(JSON.parse(await readFile(routingPath(dir, "din"), "utf8")).serving).toBe("4");
    expect(await readdir(join(dir, "din"))).toEqual(["routing.json"]);
    await expect(writeRouting(dir, "din", { schema: 1, serving: "x y" } as never)).rejects.toBeInstanceOf(RoutingError);
  });

  it("the registry reloads it on each scan; a bad file keeps the previous state and is listed", async () => {
    const registry = new ModelRegistry({ dir, pollMs: 0, logger: silentLogger });
    try {
      await registry.start();
      expect(registry.routing("din")).toBeUndefined();
      await writeRouting(dir, "din", { schema: 1, serving: "3", shadow: ["5"] });
      await registry.scan();
      expect(registry.routing("din")).toEqual({ schema: 1, serving: "3", shadow: ["5"] });
      await writeFile(routingPath(dir, "din"), JSON.stringify({ schema: 1, serving: "3", canary: { share: 3 } }));
      await registry.scan();
      expect(registry.routing("din")?.shadow).toEqual(["5"]);
      const f = registry.failures().find((x) => x.version === "routing.json");
      expect(f?.stage).toBe("routing");
      expect(f?.error).toMatch(/canary\.version: is required/);
      expect(f?.error).toMatch(/canary\.share: must be <= 1/);
      await writeFile(routingPath(dir, "din"), "{ not json");
      await registry.scan();
      expect(registry.failures().find((x) => x.version === "routing.json")?.error).toMatch(/\$: not valid JSON/);
      await rm(routingPath(dir, "din"));
      await registry.scan();
      expect(registry.routing("din")).toBeUndefined();
      expect(registry.failures()).toEqual([]);
    } finally {
      await registry.close();
    }
  });
});
