import type { SchemaViolation } from "./compile.js";

/** JSON type name of a value, for "got ..." in messages; never serialises the value. */
export function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** A short, safe rendering of a scalar for messages (objects and arrays are named, not printed). */
export function shortValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 32 ? v.slice(0, 32) + "..." : v);
  if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
  return jsonType(v);
}

/** `/slots/0/fields/1` -> `slots[0].fields[1]`; `` -> `$`. */
export function pointerToPath(pointer: string, property?: string): string {
  let path = "";
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    path += /^\d+$/.test(key) ? `[${key}]` : path === "" ? key : `.${key}`;
  }
  if (property !== undefined) path = path === "" ? property : `${path}.${property}`;
  return path === "" ? "$" : path;
}

/** Allowed values in words; null (= absent) is not listed. */
const listed = (values: readonly unknown[]): string =>
  values
    .filter((x) => x !== null)
    .map(String)
    .join(", ");

type Node = Readonly<Record<string, unknown>>;

/** What a schema node accepts, in words ("one of click, fav", "an integer"). */
export function expected(node: unknown, defs?: Node): string {
  let n = (node ?? {}) as Node;
  if (typeof n.$ref === "string" && defs !== undefined) n = (defs[n.$ref.replace("#/$defs/", "")] ?? {}) as Node;
  if (n.format === "seqlane-id") return "a string or a non-negative integer id";
  if (Array.isArray(n.enum)) return `one of ${listed(n.enum)}`;
  if ("const" in n) return String(n.const);
  const types = (Array.isArray(n.type) ? n.type : [n.type]).filter((t) => typeof t === "string") as string[];
  const word = (t: string) =>
    t === "integer" ? "an integer" : t === "array" ? "an array" : t === "object" ? "an object" : `a ${t}`;
  return types.length > 0 ? types.map(word).join(" or ") : "a valid value";
}

/** The problem text of a violation: what is wrong and what was expected, never the whole value. */
export function problemText(
  v: SchemaViolation,
  value: unknown,
  defs?: Node,
  idProblem?: (s: string) => string | undefined,
): string {
  const p = v.params;
  switch (v.keyword) {
    case "required": {
      const props = ((v.schema as Node).properties ?? {}) as Node;
      return `is required (${expected(props[v.property!], defs)})`;
    }
    case "additionalProperties": {
      const props = Object.keys(((v.schema as Node).properties ?? {}) as Node);
      return `is not allowed (allowed: ${props.join(", ")})`;
    }
    case "type":
      return `must be ${expected(v.schema, defs)}, got ${jsonType(value)}`;
    case "enum":
      return `${shortValue(value)} is not one of ${listed(p.allowedValues as unknown[])}`;
    case "const":
      return `must be ${String(p.allowedValue)}, got ${shortValue(value)}`;
    case "format":
      return (typeof value === "string" && idProblem?.(value)) || `must be a ${String(p.format)}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `must be ${String(p.comparison)} ${String(p.limit)}, got ${shortValue(value)}`;
    case "minLength":
      return `must have at least ${String(p.limit)} characters`;
    case "maxLength":
      return `must have at most ${String(p.limit)} characters`;
    case "pattern":
      return `must match ${String(p.pattern)}, got ${shortValue(value)}`;
    case "minItems":
      return `must have at least ${String(p.limit)} item(s)`;
    case "maxItems":
      return `must have at most ${String(p.limit)} item(s)`;
    case "uniqueItems":
      return "must not repeat items";
    case "minProperties":
      return `must have at least ${String(p.limit)} entr${p.limit === 1 ? "y" : "ies"}`;
    default:
      return `fails ${v.keyword}`;
  }
}

/** The value a JSON Pointer names inside `root` (undefined when absent). */
export function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const raw of pointer.split("/").slice(1)) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return cur;
}
