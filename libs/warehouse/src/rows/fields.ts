/** Thrown inside the row mappers; turned into a rejected row, never escapes the library. */
export class FieldProblem {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {}
}

export type Json = Record<string, unknown>;

const MAX_ID = 256;

/** Ids are non-empty strings or non-negative safe integers; canonical form is the string. */
export function id(o: Json, field: string): string {
  const v = o[field];
  if (typeof v === "string") {
    if (v.length === 0 || v.length > MAX_ID) throw new FieldProblem(field, `must be 1-${MAX_ID} characters`);
    return v;
  }
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
  throw new FieldProblem(field, v === undefined ? "is required" : "must be a string or a non-negative integer");
}

export function optionalId(o: Json, field: string): string {
  return o[field] === undefined || o[field] === null ? "" : id(o, field);
}

export function epochMs(o: Json, field: string): number {
  const v = o[field];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new FieldProblem(
      field,
      v === undefined ? "is required" : "must be epoch milliseconds (non-negative integer)",
    );
  }
  return v;
}

export function optionalPosition(o: Json, field: string): number | null {
  const v = o[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xffff_ffff) {
    throw new FieldProblem(field, "must be a non-negative integer");
  }
  return v;
}

export function probability(o: Json, field: string, optional: boolean): number | null {
  const v = o[field];
  if (optional && (v === undefined || v === null)) return null;
  if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
    throw new FieldProblem(field, v === undefined ? "is required" : "must be a number in [0, 1]");
  }
  return v;
}

export function oneOf<T extends string>(o: Json, field: string, values: readonly T[]): T {
  const v = o[field];
  if (typeof v !== "string" || !(values as readonly string[]).includes(v)) {
    throw new FieldProblem(field, `must be one of ${values.join(", ")}`);
  }
  return v as T;
}

/** Parses a message value as a JSON object. */
export function parseObject(value: Buffer | string | null): Json {
  if (value === null) throw new FieldProblem("value", "is empty (tombstone)");
  let v: unknown;
  try {
    v = JSON.parse(typeof value === "string" ? value : value.toString("utf8"));
  } catch {
    throw new FieldProblem("value", "is not valid JSON");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new FieldProblem("value", "must be a JSON object");
  return v as Json;
}
