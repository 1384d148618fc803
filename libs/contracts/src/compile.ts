import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { FORMATS } from "./formats.js";
import type { SchemaDocument } from "./schemas.js";

/** One way a value breaks a schema, in the validator library's neutral terms. */
export interface SchemaViolation {
  /** JSON Pointer of the value at fault ("" for the root, "/slots/0/name"). */
  readonly pointer: string;
  /** The property at fault when the keyword is `required` or `additionalProperties`. */
  readonly property?: string;
  /** The JSON Schema keyword that failed (required, type, enum, const, pattern, format, ...). */
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The schema node that failed, for its description and allowed values. */
  readonly schema: unknown;
}

export interface CompiledSchema {
  /** The first violation (cheap; the hot path), or undefined when `value` satisfies the schema. */
  first(value: unknown): SchemaViolation | undefined;
  /** Every violation, for documents a person fixes in one go (manifests). */
  all(value: unknown): readonly SchemaViolation[];
}

function makeAjv(allErrors: boolean): Ajv2020 {
  const ajv = new Ajv2020({ allErrors, strict: true, strictTypes: false, allowUnionTypes: true, verbose: true });
  // Annotations of our own: data for code (limits, error kinds), never validation keywords.
  ajv.addKeyword({ keyword: "x-seqlane", schemaType: "object" });
  for (const [name, problem] of Object.entries(FORMATS)) {
    ajv.addFormat(name, { type: "string", validate: (s: string) => problem(s) === undefined });
  }
  return ajv;
}

const first = makeAjv(false);
const every = makeAjv(true);

function violations(errors: readonly ErrorObject[] | null | undefined): SchemaViolation[] {
  return (errors ?? []).map((e) => {
    const p = e.params as Record<string, unknown>;
    const property =
      e.keyword === "required"
        ? (p.missingProperty as string)
        : e.keyword === "additionalProperties"
          ? (p.additionalProperty as string)
          : undefined;
    return { pointer: e.instancePath, keyword: e.keyword, params: p, schema: e.parentSchema, property };
  });
}

const compiled = new Map<unknown, CompiledSchema>();

/** Compiles a schema document (once per `$id`, at start-up) into a fast validator. */
export function compileSchema(schema: SchemaDocument): CompiledSchema {
  const cached = compiled.get(schema.$id ?? schema);
  if (cached !== undefined) return cached;
  const one: ValidateFunction = first.compile(schema);
  const many: ValidateFunction = every.compile(schema);
  const c: CompiledSchema = {
    first(value) {
      return one(value) ? undefined : violations(one.errors)[0];
    },
    all(value) {
      return many(value) ? [] : violations(many.errors);
    },
  };
  compiled.set(schema.$id ?? schema, c);
  return c;
}
