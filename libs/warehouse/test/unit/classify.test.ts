import { ClickHouseError } from "@clickhouse/client";
import { describe, expect, it } from "vitest";
import { isRetriable } from "../../src/index.js";

describe("error classification", () => {
  it("by type: programmer errors never, network errors always", () => {
    expect(isRetriable(new TypeError("x"), false)).toBe(false);
    expect(isRetriable(new RangeError("x"), false)).toBe(false);
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED", syscall: "connect" });
    expect(isRetriable(refused, true)).toBe(true);
  });

  it("parsed server errors by code", () => {
    const tooMany = new ClickHouseError({ message: "too many parts", code: "252", type: "TOO_MANY_PARTS" });
    const syntax = new ClickHouseError({ message: "syntax", code: "62", type: "SYNTAX_ERROR" });
    expect(isRetriable(tooMany, true)).toBe(true);
    expect(isRetriable(syntax, true)).toBe(false);
  });

  it("unparsed errors (18.16, timeouts) by whether the server still answers", () => {
    expect(isRetriable(new Error("Timeout error."), false)).toBe(true);
    expect(isRetriable(new Error("Code: 62, e.displayText() = DB::Exception: Syntax error"), true)).toBe(false);
  });
});
