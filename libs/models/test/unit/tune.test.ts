import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  MicroBatcher,
  ModelRegistry,
  chooseRows,
  silentLogger,
  tuneSizes,
  writeFixtureModels,
} from "../../src/index.js";

describe("batch-size tuning", () => {
  it("keeps the largest size when throughput keeps rising (GPU-like)", () => {
    const curve = [10, 19, 35, 60, 95, 100].map((rowsPerMs, i) => ({ rows: 64 << i, rowsPerMs }));
    // rises to the end; 1024 (95) is within 10% of 2048's 100, within 1% only 2048 is
    expect(chooseRows(curve, 0.9)).toBe(1024);
    expect(chooseRows(curve, 0.99)).toBe(2048);
  });
  it("picks the smallest size when merging makes rows slower (DIN on CPU)", () => {
    const curve = [
      { rows: 1024, rowsPerMs: 40 },
      { rows: 64, rowsPerMs: 75 },
      { rows: 256, rowsPerMs: 70 },
    ];
    expect(chooseRows(curve)).toBe(64);
    expect(() => chooseRows([])).toThrow(RangeError);
  });
  it("tries powers of two from one user's rows up to the limit", () => {
    expect(tuneSizes(2048)).toEqual([64, 128, 256, 512, 1024, 2048]);
    expect(tuneSizes(300)).toEqual([64, 128, 256, 300]);
    expect(tuneSizes(10)).toEqual([10]);
  });
  it("a lowered row limit stops merging past it", async () => {
    const calls: number[][] = [];
    const b = new MicroBatcher({ maxRows: 1000, maxWaitMs: 5, enabled: true }, async (xs: number[]) => {
      calls.push(xs);
      await new Promise((r) => setTimeout(r, 5));
      return xs;
    });
    b.setMaxRows(100);
    expect(b.maxRows).toBe(100);
    await Promise.all([1, 2, 3].map((x) => b.submit(x, 60)));
    expect(calls).toEqual([[1], [2], [3]]);
  });
});

describe("registry with batching.tune", () => {
  let dir: string | undefined;
  let registry: ModelRegistry | undefined;
  afterEach(async () => {
    await registry?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  it("measures every size at load and serves with a row limit it measured", async () => {
    dir = await mkdtemp(join(tmpdir(), "seqlane-tune-"));
    await writeFixtureModels(dir, { seed: 3 });
    const logged: Record<string, unknown>[] = [];
    registry = new ModelRegistry({
      dir,
      pollMs: 0,
      logger: {
        ...silentLogger,
        info: (msg: string, f?: Record<string, unknown>) =>
          void (msg === "model version loaded" && logged.push(f ?? {})),
      },
      batching: { maxRows: 512, maxWaitMs: 2, enabled: true, tune: true },
    });
    await registry.start();
    const m = registry.get("pooling")!;
    expect(tuneSizes(512)).toContain(m.batchRows);
    const entry = logged.find((f) => f["model"] === "pooling")!;
    expect(entry["batchRows"]).toBe(m.batchRows);
    // one "rows:throughput" pair per size tried
    expect(
      String(entry["batchCurve"])
        .split(" ")
        .map((p) => Number(p.split(":")[0])),
    ).toEqual(tuneSizes(512));
  });
});
