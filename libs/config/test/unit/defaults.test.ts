import { EVENT_FUTURE_SKEW_MS, EVENT_MAX_BYTES } from "@seqlane/contracts";
import { describe, expect, it } from "vitest";
import { ConfigErrors, defaults, ingest, load, recorder, scorer, str } from "../../src/index.js";

describe("defaults", () => {
  it("is what load() gives with nothing set, for every section code takes defaults from", () => {
    for (const spec of [ingest, recorder, scorer]) expect(defaults(spec)).toEqual(load(spec, {}));
    expect(defaults(recorder).clickWindowMs).toBe(30 * 60_000);
  });

  it("takes the event limits from the event contract (libs/contracts), not a copy", () => {
    expect(defaults(ingest).maxEventBytes).toBe(EVENT_MAX_BYTES);
    expect(defaults(ingest).maxFutureSkewMs).toBe(EVENT_FUTURE_SKEW_MS);
    expect(ingest.maxEventBytes.defaultText).toBe(String(EVENT_MAX_BYTES));
  });

  it("refuses a spec with a required option, naming it", () => {
    expect(() => defaults({ token: str("SEQLANE_UNIT_TOKEN", "required in this test") })).toThrow(ConfigErrors);
    expect(() => defaults({ token: str("SEQLANE_UNIT_TOKEN", "required in this test") })).toThrow(/SEQLANE_UNIT_TOKEN/);
  });
});
