import { describe, expect, it } from "vitest";
import { InvalidSqlInputError, epochMs, modelName, parseDuration, parseSince } from "../../src/index.js";

describe("validated inputs", () => {
  it("accepts registry-style model names and refuses others", () => {
    expect(modelName("din_v2")).toBe("din_v2");
    expect(modelName("bst-long.3")).toBe("bst-long.3");
    for (const bad of ["", "-x", "a b", "din'", "x".repeat(200)])
      expect(() => modelName(bad)).toThrow(InvalidSqlInputError);
  });

  it("parses durations and since", () => {
    expect(parseDuration("24h")).toBe(86_400_000);
    expect(parseDuration("7d")).toBe(7 * 86_400_000);
    expect(() => parseDuration("0h")).toThrow(/positive duration/);
    expect(() => parseDuration("1y")).toThrow(InvalidSqlInputError);
    expect(parseSince("24h", 100_000_000)).toBe(100_000_000 - 86_400_000);
    expect(parseSince("2026-11-28")).toBe(Date.UTC(2026, 10, 28));
    expect(parseSince("2026-11-28T10:00:00Z")).toBe(Date.UTC(2026, 10, 28, 10));
    expect(() => parseSince("yesterday")).toThrow(/duration like 24h or an ISO date/);
  });

  it("checks epoch ms", () => {
    expect(epochMs(0)).toBe(0);
    expect(() => epochMs(-1)).toThrow(InvalidSqlInputError);
    expect(() => epochMs(1.5)).toThrow(InvalidSqlInputError);
  });
});
