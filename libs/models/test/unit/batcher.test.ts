import { describe, expect, it } from "vitest";
import { MicroBatcher } from "../../src/index.js";

function recorder(fail?: (inputs: number[]) => boolean) {
  const calls: number[][] = [];
  const run = async (inputs: number[]) => {
    calls.push(inputs);
    await new Promise((r) => setTimeout(r, 5));
    if (fail?.(inputs)) throw new Error("boom");
    return inputs.map((x) => x * 10);
  };
  return { calls, run };
}

describe("MicroBatcher", () => {
  it("merges concurrent jobs into one run and splits results back", async () => {
    const r = recorder();
    const b = new MicroBatcher({ maxRows: 100, maxWaitMs: 2, enabled: true }, r.run);
    const out = await Promise.all([1, 2, 3].map((x) => b.submit(x, 10)));
    expect(out).toEqual([10, 20, 30]);
    expect(r.calls).toEqual([[1, 2, 3]]);
    expect(b.pendingRows).toBe(0);
  });
  it("respects the row limit; jobs arriving during a run go out together next", async () => {
    const r = recorder();
    const b = new MicroBatcher({ maxRows: 25, maxWaitMs: 50, enabled: true }, r.run);
    const out = await Promise.all([1, 2, 3, 4, 5].map((x) => b.submit(x, 10)));
    expect(out).toEqual([10, 20, 30, 40, 50]);
    expect(r.calls).toEqual([[1, 2], [3, 4], [5]]);
  });
  it("an idle batcher runs a lone job at once instead of waiting maxWaitMs", async () => {
    const r = recorder();
    // With a one-minute wait a lone job would outlive the test if the idle batcher waited.
    const b = new MicroBatcher({ maxRows: 100, maxWaitMs: 60_000, enabled: true }, r.run);
    await expect(b.submit(7, 1)).resolves.toBe(70);
    // Jobs submitted in the same turn still share one run.
    await Promise.all([b.submit(1, 1), b.submit(2, 1)]);
    expect(r.calls.at(-1)).toEqual([1, 2]);
  });

  it("an error fails only the jobs of that batch", async () => {
    const r = recorder((inputs) => inputs.includes(1));
    const b = new MicroBatcher({ maxRows: 20, maxWaitMs: 1, enabled: true }, r.run);
    const results = await Promise.allSettled([1, 2, 3].map((x) => b.submit(x, 10)));
    expect(results.map((x) => x.status)).toEqual(["rejected", "rejected", "fulfilled"]);
  });
  it("disabled: each job runs alone, concurrently", async () => {
    const r = recorder();
    const b = new MicroBatcher({ maxRows: 100, maxWaitMs: 2, enabled: false }, r.run);
    const p = Promise.all([1, 2].map((x) => b.submit(x, 3)));
    expect(b.pendingRows).toBe(6);
    expect(await p).toEqual([10, 20]);
    expect(r.calls).toEqual([[1], [2]]);
  });
});
