import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ModelRegistry, poolingFixture, silentLogger, writeFixtureModels, writeModelVersion } from "../../src/index.js";
import { randomUsers } from "./users.js";

let dir: string;
let registry: ModelRegistry;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "seqlane-registry-"));
  registry = new ModelRegistry({
    dir,
    pollMs: 0,
    logger: silentLogger,
    session: { executionProviders: ["cpu"] },
    releaseGraceMs: 10,
  });
});
afterEach(async () => {
  await registry.close();
  await rm(dir, { recursive: true, force: true });
});

describe("ModelRegistry", () => {
  it("loads every version, serves the newest, and is ready only then", async () => {
    expect(registry.ready).toBe(false);
    await registry.start();
    expect(registry.ready).toBe(false);
    await writeFixtureModels(dir, { seed: 3 });
    await registry.scan();
    expect(registry.names()).toEqual(["din", "pooling"]);
    expect(registry.ready).toBe(true);
    const v2 = poolingFixture({ seed: 4, version: "2" });
    await writeModelVersion(dir, v2.manifest, v2.onnx);
    await registry.scan();
    expect(registry.versions("pooling").map((m) => m.version)).toEqual(["1", "2"]);
    expect(registry.get("pooling")!.version).toBe("2");
    expect(registry.get("pooling", "1")!.version).toBe("1");
  });

  it("a broken version (outputs outside [0,1], corrupt file, bad manifest) keeps the old one serving", async () => {
    await writeFixtureModels(dir, { seed: 3 });
    await registry.start();
    const bad = poolingFixture({ seed: 5, version: "3", sigmoid: false });
    await writeModelVersion(dir, bad.manifest, bad.onnx);
    await mkdir(join(dir, "pooling", "4"));
    await writeFile(join(dir, "pooling", "4", "model.onnx"), "not a model");
    await writeFile(join(dir, "pooling", "4", "manifest.json"), JSON.stringify({ ...bad.manifest, version: "4" }));
    const good = poolingFixture({ seed: 6, version: "5" });
    await mkdir(join(dir, "pooling", "5"));
    await writeFile(join(dir, "pooling", "5", "model.onnx"), good.onnx);
    await writeFile(
      join(dir, "pooling", "5", "manifest.json"),
      JSON.stringify({ ...good.manifest, slots: [{ ...good.manifest.slots[0], max_len: -1 }] }),
    );
    await registry.scan();
    expect(registry.get("pooling")!.version).toBe("1");
    const failures = Object.fromEntries(registry.failures().map((f) => [f.version, f]));
    expect(failures["3"]!.stage).toBe("check");
    expect(failures["3"]!.error).toMatch(/outside \[0, 1\]/);
    expect(failures["4"]!.stage).toBe("session");
    expect(failures["5"]!.stage).toBe("manifest");
    expect(failures["5"]!.error).toMatch(/slots\[0\]\.max_len: must be >= 1/);
    const scores = await registry.get("pooling")!.score(randomUsers([10], 3)[0]!);
    expect(scores.ctr!.length).toBe(3);
    // fixing a version's files retries it
    await writeFile(join(dir, "pooling", "5", "manifest.json"), JSON.stringify(good.manifest));
    await registry.scan();
    expect(registry.get("pooling")!.version).toBe("5");
  });

  it("manifest tensors the graph lacks are not fed (exporters prune them); graph inputs the manifest lacks fail", async () => {
    const f = poolingFixture({ seed: 8 });
    const slot = f.manifest.slots[0]!;
    const extra = {
      ...f.manifest,
      slots: [{ ...slot, fields: [...slot.fields, { field: "position" as const, tensor: "recent_pos" }] }],
    };
    await writeModelVersion(dir, extra, f.onnx);
    const lacking = { ...f.manifest, version: "2", context: [] };
    await writeModelVersion(dir, lacking, f.onnx);
    await registry.start();
    expect(registry.get("pooling")!.version).toBe("1");
    expect((await registry.get("pooling")!.score(randomUsers([10], 3)[0]!)).ctr!.length).toBe(3);
    const failure = registry.failures().find((x) => x.version === "2")!;
    expect([failure.stage, failure.error]).toEqual([
      "inputs",
      "pooling/2 inputs: graph inputs the manifest does not build: [ctx_hour]",
    ]);
  });

  it("a version whose inference worker died is reloaded on the next scan", async () => {
    await writeFixtureModels(dir, { seed: 3 });
    await registry.start();
    const before = registry.get("pooling")!;
    Object.defineProperty(before.runner, "alive", { get: () => false });
    await registry.scan();
    const after = registry.get("pooling")!;
    expect(after).not.toBe(before);
    expect(after.runner.alive).toBe(true);
    expect((await after.score(randomUsers([5], 2)[0]!)).ctr!.length).toBe(2);
  });

  it("a changed version is swapped atomically; removed versions go away", async () => {
    await writeFixtureModels(dir, { seed: 3 });
    await registry.start();
    const before = registry.get("pooling")!;
    const next = poolingFixture({ seed: 9 });
    await writeFile(join(dir, "pooling", "1", "model.onnx"), next.onnx);
    await registry.scan();
    const after = registry.get("pooling")!;
    expect(after).not.toBe(before);
    const u = randomUsers([10], 3)[0]!;
    expect(Array.from((await after.score(u)).ctr!)).not.toEqual(Array.from((await before.score(u)).ctr!));
    await rm(join(dir, "din"), { recursive: true });
    await registry.scan();
    expect(registry.names()).toEqual(["pooling"]);
  });
});
