import { describe, expect, it } from "vitest";
import { InvalidSqlInputError, ident, joinSql, lit, qualified, quoteString, sql, type Sql } from "../../src/index.js";

describe("sql builder", () => {
  it("validates identifiers", () => {
    expect(ident("events").text).toBe("`events`");
    expect(qualified("seqlane", "model_eval").text).toBe("`seqlane`.`model_eval`");
    for (const bad of ["", "1abc", "a-b", "a b", "a`b", "x; DROP TABLE y", "é", "a".repeat(129)]) {
      expect(() => ident(bad)).toThrow(InvalidSqlInputError);
    }
  });

  it("escapes string literals so that no input can close the quote", () => {
    expect(quoteString("it's")).toBe("'it\\'s'");
    expect(quoteString("a\\")).toBe("'a\\\\'");
    expect(quoteString("x\n\t\0")).toBe("'x\\n\\t\\0'");
    const evil = "' OR 1=1 --";
    const q = sql`SELECT 1 WHERE model = ${lit(evil)}`.text;
    expect(q).toBe("SELECT 1 WHERE model = '\\' OR 1=1 --'");
  });

  it("property: escaped strings round-trip through a ClickHouse-style unescape", () => {
    const unescape = (lit: string): string =>
      lit
        .slice(1, -1)
        .replace(/\\(.)/gs, (_, c: string) => ({ n: "\n", r: "\r", t: "\t", "0": "\0", b: "\b", f: "\f" })[c] ?? c);
    const alphabet = ["'", "\\", "\n", "\r", "\t", "\0", "a", "é", '"', "`", ";", "-", " "];
    for (let i = 0; i < 500; i++) {
      let s = "";
      const len = Math.floor(Math.random() * 12);
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
      const q = quoteString(s);
      expect(unescape(q)).toBe(s);
      // No unescaped quote inside: every ' is preceded by an odd run of backslashes.
      expect(/(^|[^\\])(\\\\)*'/.test(q.slice(1, -1))).toBe(false);
    }
  });

  it("renders numbers only when finite, negatives parenthesised", () => {
    expect(lit(3).text).toBe("3");
    expect(lit(0.25).text).toBe("0.25");
    expect(lit(-2).text).toBe("(-2)");
    expect(lit(10n).text).toBe("10");
    expect(() => lit(Number.NaN)).toThrow(InvalidSqlInputError);
    expect(() => lit(Number.POSITIVE_INFINITY)).toThrow(/must be finite/);
  });

  it("renders booleans, null, dates and arrays", () => {
    expect(lit(true).text).toBe("1");
    expect(lit(null).text).toBe("NULL");
    expect(lit(new Date(1_700_000_000_999)).text).toBe("toDateTime(1700000000)");
    expect(() => lit(new Date(Number.NaN))).toThrow(InvalidSqlInputError);
    expect(lit(["a", 1, ["b'"]]).text).toBe("['a', 1, ['b\\'']]");
  });

  it("refuses raw strings as interpolations at run time", () => {
    const raw = "1; DROP TABLE x" as unknown as Sql;
    expect(() => sql`SELECT ${raw}`).toThrow(InvalidSqlInputError);
    expect(() => joinSql([raw], ",")).toThrow(InvalidSqlInputError);
    expect(joinSql([ident("a"), lit(1)], ", ").text).toBe("`a`, 1");
  });
});
