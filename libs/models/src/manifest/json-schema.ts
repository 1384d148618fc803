import type { ManifestIssue } from "../errors.js";

/**
 * The subset of JSON Schema 2020-12 that manifest.schema.json uses, interpreted directly so that
 * the schema file (shared with training/) is the single source of the structural rules.
 * Keywords: type, const, enum, pattern, minLength, maxLength, minimum, maximum, minItems,
 * uniqueItems, items, required, properties, additionalProperties: false, minProperties, $ref.
 */
export type Schema = Readonly<Record<string, unknown>>;

const describe = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? s.slice(0, 37) + "..." : s;
};

function join(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "array":
      return Array.isArray(v);
    case "integer":
      return Number.isInteger(v);
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    default:
      return typeof v === type;
  }
}

/** Appends to `issues` every way `value` breaks `schema`; `root` resolves `#/$defs/...` refs. */
export function check(schema: Schema, value: unknown, path: string, root: Schema, issues: ManifestIssue[]): void {
  const ref = schema.$ref;
  if (typeof ref === "string") {
    const name = ref.replace("#/$defs/", "");
    const target = (root.$defs as Record<string, Schema>)[name];
    if (target === undefined) throw new Error(`schema: unknown $ref ${ref}`);
    check(target, value, path, root, issues);
    return;
  }
  const bad = (problem: string) => issues.push({ path, problem });
  if ("const" in schema && value !== schema.const)
    return void bad(`must be ${describe(schema.const)} (got ${describe(value)})`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    return void bad(`must be one of ${schema.enum.join(", ")} (got ${describe(value)})`);
  const type = schema.type as string | undefined;
  if (type !== undefined && !typeOk(type, value)) {
    const expected =
      type === "integer" ? "an integer" : type === "array" ? "an array" : type === "object" ? "an object" : `a ${type}`;
    return void bad(`must be ${expected} (got ${value === undefined ? "nothing" : describe(value)})`);
  }
  if (typeof value === "string") {
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value))
      bad(`must match ${schema.pattern} (got ${describe(value)})`);
    if (typeof schema.minLength === "number" && value.length < schema.minLength)
      bad(`must have at least ${schema.minLength} characters`);
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength)
      bad(`must have at most ${schema.maxLength} characters`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum)
      bad(`must be >= ${schema.minimum} (got ${value})`);
    if (typeof schema.maximum === "number" && value > schema.maximum)
      bad(`must be <= ${schema.maximum} (got ${value})`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems)
      bad(`must have at least ${schema.minItems} item(s)`);
    if (schema.uniqueItems === true && new Set(value.map((x) => JSON.stringify(x))).size !== value.length)
      bad("must not repeat items");
    const items = schema.items as Schema | undefined;
    if (items !== undefined) value.forEach((x, i) => check(items, x, join(path, i), root, issues));
  }
  if (typeOk("object", value)) {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[])
      if (!(key in obj)) issues.push({ path: join(path, key), problem: "is required" });
    if (typeof schema.minProperties === "number" && Object.keys(obj).length < schema.minProperties)
      bad(`must have at least ${schema.minProperties} entr${schema.minProperties === 1 ? "y" : "ies"}`);
    for (const [key, v] of Object.entries(obj)) {
      const sub = props[key];
      if (sub !== undefined) check(sub, v, join(path, key), root, issues);
      else if (schema.additionalProperties === false)
        issues.push({ path: join(path, key), problem: `is not allowed (allowed: ${Object.keys(props).join(", ")})` });
    }
  }
}
