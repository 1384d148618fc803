import { defaults, load, scorer } from "@seqlane/config";
import { createMemoryStore } from "@seqlane/sequences";
import { describe, expect, it } from "vitest";
import { resolveOptions } from "../../src/options.js";

describe("scorer options", () => {
  it("the limits are libs/config options with their documented defaults", () => {
    const d = defaults(scorer);
    expect([d.redisTimeoutMs, d.maxInflightBytes, d.bodyTimeoutMs]).toEqual([250, 64 * 1_048_576, 10_000]);
    const set = load(scorer, {
      SEQLANE_SCORER_REDIS_TIMEOUT_MS: "100",
      SEQLANE_SCORER_MAX_INFLIGHT_BYTES: "2097152",
      SEQLANE_SCORER_BODY_TIMEOUT_MS: "3000",
    });
    expect([set.redisTimeoutMs, set.maxInflightBytes, set.bodyTimeoutMs]).toEqual([100, 2_097_152, 3000]);
    expect(() => load(scorer, { SEQLANE_SCORER_REDIS_TIMEOUT_MS: "0" })).toThrow(/SEQLANE_SCORER_REDIS_TIMEOUT_MS/);
  });

  it("createScorer's defaults are libs/config's, applied once", () => {
    const o = resolveOptions({ registryDir: "r", store: createMemoryStore() }, console);
    const d = defaults(scorer);
    expect(o).toMatchObject({
      port: d.port,
      maxQueuedRows: d.maxQueuedRows,
      maxBodyBytes: d.maxBodyBytes,
      maxInflightBytes: d.maxInflightBytes,
      bodyTimeoutMs: d.bodyTimeoutMs,
      requestTimeoutMs: d.requestTimeoutMs,
      batching: { maxRows: d.maxBatchRows, maxWaitMs: d.maxBatchWaitMs, enabled: d.microBatching },
    });
    expect(
      resolveOptions({ registryDir: "r", store: createMemoryStore(), bodyTimeoutMs: 5 }, console).bodyTimeoutMs,
    ).toBe(5);
  });
});
