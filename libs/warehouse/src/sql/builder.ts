import { InvalidSqlInputError } from "../errors.js";

/**
 * A fragment of SQL whose every part was validated: identifiers against IDENTIFIER, values
 * rendered as escaped literals. There is no way to put an unchecked string into one except
 * the template text itself, which is code, not input.
 */
export class Sql {
  /** @internal use `sql`, `ident`, `lit`, `joinSql` */
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Plain ClickHouse identifiers: letters, digits, underscore, not starting with a digit. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Values that may become literals. Dates render as `toDateTime(<unix seconds>)`. */
export type SqlValue = string | number | bigint | boolean | Date | null | readonly SqlValue[];

/**
 * Tagged template: `sql\`SELECT ${ident("a")} FROM t WHERE b = ${lit(x)}\``. Interpolations
 * must be `Sql` (from `ident`, `lit`, `qualified`, `joinSql` or a nested `sql`); raw strings do
 * not type-check and are refused at run time.
 */
export function sql(strings: TemplateStringsArray, ...parts: readonly Sql[]): Sql {
  let out = strings[0] ?? "";
  for (let i = 0; i < parts.length; i++) {
    const p: unknown = parts[i];
    if (!(p instanceof Sql)) throw new InvalidSqlInputError("interpolation", p, "must be built with ident() or lit()");
    out += p.text + (strings[i + 1] ?? "");
  }
  return new Sql(out);
}

/** A validated identifier (table, column, database). Backquoted so keywords are safe too. */
export function ident(name: string): Sql {
  if (typeof name !== "string" || !IDENTIFIER.test(name)) {
    throw new InvalidSqlInputError("identifier", name, `must match ${String(IDENTIFIER)}`);
  }
  return new Sql("`" + name + "`");
}

/** `db.table` with both parts validated. */
export function qualified(database: string, table: string): Sql {
  return new Sql(`${ident(database).text}.${ident(table).text}`);
}

const ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "'": "\\'",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\0": "\\0",
  "\b": "\\b",
  "\f": "\\f",
};

/** Escapes a string as a ClickHouse single-quoted literal (backslash escapes, as both 18.16 and current parse). */
export function quoteString(s: string): string {
  return "'" + s.replace(/[\\'\n\r\t\0\b\f]/g, (c) => ESCAPES[c] ?? c) + "'";
}

/** A literal for a typed value. Numbers must be finite; dates valid; arrays render as `[a, b]`. */
export function lit(value: SqlValue): Sql {
  return new Sql(literalText(value));
}

function literalText(value: SqlValue): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return quoteString(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new InvalidSqlInputError("number literal", value, "must be finite");
    // Exponent form is valid ClickHouse; negative numbers are parenthesised so `a -${x}` stays sound.
    const t = String(value);
    return value < 0 || Object.is(value, -0) ? `(${t})` : t;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms)) throw new InvalidSqlInputError("date literal", value, "must be a valid Date");
    return `toDateTime(${Math.floor(ms / 1000)})`;
  }
  if (Array.isArray(value)) return "[" + value.map((v: SqlValue) => literalText(v)).join(", ") + "]";
  throw new InvalidSqlInputError("literal", value, "unsupported type");
}

/** Joins fragments with a separator that is itself code (e.g. ", " or " AND "). */
export function joinSql(parts: readonly Sql[], separator: string): Sql {
  for (const p of parts as readonly unknown[]) {
    if (!(p instanceof Sql)) throw new InvalidSqlInputError("interpolation", p, "must be built with ident() or lit()");
  }
  return new Sql(parts.map((p) => p.text).join(separator));
}

/** Trusted SQL text from this library's own source (never from input). @internal */
export function trusted(text: string): Sql {
  return new Sql(text);
}
