import { compileSchema } from "./compile.js";
import { pointerToPath, problemText, valueAt } from "./describe.js";
import { idProblem } from "./formats.js";
import { loadSchema, type SchemaDocument } from "./schemas.js";

/** One problem with a message: the field at fault (`$` for the whole value) and why. */
export interface MessageProblem {
  readonly field: string;
  readonly reason: string;
}

export type MessageCheck<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: MessageProblem };

/** True when a property takes a string or an integer (an id): its canonical form is the string. */
function stringOrInteger(node: Record<string, unknown>, defs: Record<string, unknown>): boolean {
  const n = typeof node.$ref === "string" ? (defs[node.$ref.replace("#/$defs/", "")] as Record<string, unknown>) : node;
  if (Array.isArray(n.anyOf)) return n.anyOf.some((x) => stringOrInteger(x as Record<string, unknown>, defs));
  return Array.isArray(n.type) && n.type.includes("string") && n.type.includes("integer");
}

/**
 * A checker for one JSON message contract (schemas/<name>.schema.json): the first violation as
 * field and reason, or the value with its id fields (`$ref: #/$defs/id`) as canonical strings.
 * Never throws, never serialises the value.
 */
export function messageChecker<T>(name: string): {
  readonly schema: SchemaDocument;
  check(value: unknown): MessageCheck<T>;
} {
  const schema = loadSchema(name);
  const compiled = compileSchema(schema);
  const defs = (schema.$defs ?? {}) as Record<string, unknown>;
  const props = Object.entries(schema.properties as Record<string, Record<string, unknown>>);
  const ids = new Set(props.filter(([, s]) => stringOrInteger(s, defs)).map(([k]) => k));
  return {
    schema,
    check(value) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return { ok: false, problem: { field: "$", reason: "must be a JSON object" } };
      }
      const bad = compiled.first(value);
      if (bad !== undefined) {
        const field = pointerToPath(bad.pointer, bad.property);
        return {
          ok: false,
          problem: { field, reason: problemText(bad, valueAt(value, bad.pointer), defs, idProblem) },
        };
      }
      const obj = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k] of props) {
        const x = obj[k];
        if (x !== undefined) out[k] = ids.has(k) && typeof x === "number" ? String(x) : x;
      }
      return { ok: true, value: out as T };
    },
  };
}

/** Parses JSON text or bytes into a value, or names why it is not JSON (field `$`). */
export function parseJson(value: Buffer | string | null): MessageCheck<unknown> {
  if (value === null) return { ok: false, problem: { field: "$", reason: "message has no value (tombstone)" } };
  try {
    return { ok: true, value: JSON.parse(typeof value === "string" ? value : value.toString("utf8")) };
  } catch (e) {
    return {
      ok: false,
      problem: {
        field: "$",
        reason: `not valid JSON (${e instanceof Error ? e.message.slice(0, 200) : "parse error"})`,
      },
    };
  }
}
