import { InvalidSqlInputError } from "../errors.js";

/** Model names and versions as the registry writes them: `din`, `din_v2`, `bst-long`, `3`. */
export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Checks a model name or version; returns it unchanged. */
export function modelName(value: string, field = "model"): string {
  if (typeof value !== "string" || !MODEL_NAME.test(value)) {
    throw new InvalidSqlInputError(field, value, `must match ${String(MODEL_NAME)}, e.g. din or din_v2`);
  }
  return value;
}

const DURATION = /^(\d+)(ms|s|m|h|d|w)$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `90s`, `30m`, `24h`, `7d`, `2w` -> milliseconds. */
export function parseDuration(value: string, field = "duration"): number {
  const m = DURATION.exec(value);
  const n = m ? Number(m[1]) * (UNIT_MS[m[2] ?? ""] ?? Number.NaN) : Number.NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new InvalidSqlInputError(field, value, "must be a positive duration like 30m, 24h or 7d");
  }
  return n;
}

/**
 * A point in time given as a duration back from `now` (`24h`), an ISO date (`2026-11-28`)
 * or an ISO timestamp; returns epoch ms.
 */
export function parseSince(value: string, now = Date.now(), field = "since"): number {
  if (DURATION.test(value)) return now - parseDuration(value, field);
  if (/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const iso = value.length === 10 ? `${value}T00:00:00Z` : value;
    const ms = Date.parse(iso);
    if (Number.isFinite(ms)) return ms;
  }
  throw new InvalidSqlInputError(field, value, "must be a duration like 24h or an ISO date like 2026-11-28");
}

/** Epoch ms checked to be a finite non-negative integer. */
export function epochMs(value: number, field = "time"): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidSqlInputError(field, value, "must be epoch milliseconds (a non-negative integer)");
  }
  return value;
}
