import { ValidationError } from "../http/errors.js";
import { describeValue } from "./describe.js";

const encoder = new TextEncoder();
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A raw id field per docs/ids.md §1: a string of 1..128 UTF-8 bytes without control characters,
 * or a non-negative safe integer. Returns it unchanged (numbers stay numbers: they hash as their value).
 */
export function parseId(value: unknown, field: string): string | number {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    throw new ValidationError(field, `must be a non-negative safe integer or a string (got ${value})`);
  }
  if (typeof value !== "string")
    throw new ValidationError(field, `must be a string or a non-negative integer (got ${describeValue(value)})`);
  if (value.length === 0) throw new ValidationError(field, "must not be empty (1..128 UTF-8 bytes)");
  // A UTF-16 unit is at most 3 UTF-8 bytes, so only longer strings need encoding.
  if (value.length > 42 && encoder.encode(value).length > 128)
    throw new ValidationError(field, "must be at most 128 UTF-8 bytes");
  if (CONTROL.test(value)) throw new ValidationError(field, "must not contain control characters");
  return value;
}
