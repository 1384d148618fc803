import { EventValidationError } from "./errors.js";
import { canonicalId } from "./ids.js";
import { EVENT_SOURCES, EVENT_TYPES, SCHEMA_VERSION } from "./schema.js";
import type { BehaviourEvent, EventSource, EventType } from "./schema.js";

/** Limits the validator applies. */
export interface ValidateOptions {
  /** Largest accepted message in bytes. Default 16384. */
  readonly maxBytes?: number;
  /** Events stamped later than `now + maxFutureSkewMs` are rejected. Default 300000 (5 min). */
  readonly maxFutureSkewMs?: number;
  /** Clock used for the future check. Default `Date.now`. */
  readonly now?: () => number;
}

export type ParseResult =
  | { readonly ok: true; readonly event: BehaviourEvent }
  | { readonly ok: false; readonly error: EventValidationError };

const MAX_ID_BYTES = 128;
const MIN_TS = Date.UTC(2000, 0, 1);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const SOURCES: ReadonlySet<string> = new Set(EVENT_SOURCES);
const decoder = new TextDecoder("utf-8", { fatal: true });

function fail(kind: EventValidationError["kind"], field: string, reason: string): ParseResult {
  return { ok: false, error: new EventValidationError(kind, field, reason) };
}

function byteLength(s: string): number {
  const n = s.length;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, "utf8");
  return n;
}

/** Reads an id field; returns the canonical string or a failed result. */
function readId(obj: Record<string, unknown>, field: string, required: boolean): string | ParseResult | undefined {
  const raw = obj[field];
  if (raw === undefined || raw === null) {
    return required ? fail("missing_field", field, "is required (a string or a non-negative integer id)") : undefined;
  }
  const id = canonicalId(raw);
  if (id === undefined) {
    return typeof raw === "number"
      ? fail("invalid_value", field, `must be a non-negative safe integer, got ${String(raw)}`)
      : fail("wrong_type", field, `must be a string or a non-negative integer id, got ${typeof raw}`);
  }
  if (id.length === 0) return fail("invalid_value", field, "must not be empty");
  if (byteLength(id) > MAX_ID_BYTES) return fail("invalid_value", field, `must be at most ${MAX_ID_BYTES} UTF-8 bytes`);
  if (CONTROL.test(id)) return fail("invalid_value", field, "must not contain control characters");
  return id;
}

function readNumber(obj: Record<string, unknown>, field: string, integer: boolean): number | ParseResult | undefined {
  const raw = obj[field];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "number") return fail("wrong_type", field, `must be a number, got ${typeof raw}`);
  if (!Number.isFinite(raw) || raw < 0) return fail("invalid_value", field, "must be a finite non-negative number");
  if (integer && !Number.isSafeInteger(raw)) return fail("invalid_value", field, "must be an integer");
  return raw;
}

const isResult = (v: unknown): v is ParseResult => typeof v === "object" && v !== null;

/**
 * Validates an already-parsed JSON value against the event contract. Unknown fields are ignored
 * (forward compatibility); the result holds canonical ids and only the contract's fields.
 */
export function validateEvent(value: unknown, opts: ValidateOptions = {}): ParseResult {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("not_object", "$", "must be a JSON object");
  }
  const obj = value as Record<string, unknown>;
  const schema = obj["schema"];
  if (schema === undefined) return fail("missing_field", "schema", `is required (the number ${SCHEMA_VERSION})`);
  if (schema !== SCHEMA_VERSION) {
    return fail("schema_version", "schema", `version ${JSON.stringify(schema)} is not supported (expected ${SCHEMA_VERSION})`);
  }
  const ids: Record<string, string | undefined> = {};
  for (const [field, required] of [
    ["event_id", true],
    ["user_id", true],
    ["item_id", true],
    ["category_id", true],
    ["brand_id", false],
    ["shop_id", false],
    ["request_id", false],
  ] as const) {
    const r = readId(obj, field, required);
    if (isResult(r)) return r;
    ids[field] = r;
  }
  const type = obj["type"];
  if (type === undefined) return fail("missing_field", "type", `is required (one of ${EVENT_TYPES.join(", ")})`);
  if (typeof type !== "string") return fail("wrong_type", "type", `must be a string, got ${typeof type}`);
  if (!TYPES.has(type)) return fail("unknown_type", "type", `${JSON.stringify(type.slice(0, 32))} is not one of ${EVENT_TYPES.join(", ")}`);
  const source = obj["source"] ?? "server";
  if (typeof source !== "string") return fail("wrong_type", "source", `must be a string, got ${typeof source}`);
  if (!SOURCES.has(source)) return fail("invalid_value", "source", `must be one of ${EVENT_SOURCES.join(", ")}`);
  if (obj["ts"] === undefined) return fail("missing_field", "ts", "is required (epoch milliseconds)");
  const ts = readNumber(obj, "ts", true);
  if (isResult(ts)) return ts;
  if (ts === undefined) return fail("missing_field", "ts", "is required (epoch milliseconds)");
  if (ts < MIN_TS) return fail("invalid_value", "ts", "must be epoch milliseconds after 2000-01-01");
  const now = (opts.now ?? Date.now)();
  if (ts > now + (opts.maxFutureSkewMs ?? 300_000)) {
    return fail("future_ts", "ts", `is ${Math.round((ts - now) / 1000)} s in the future`);
  }
  const price = readNumber(obj, "price", false);
  if (isResult(price)) return price;
  const position = readNumber(obj, "position", true);
  if (isResult(position)) return position;

  const event: BehaviourEvent = {
    schema: SCHEMA_VERSION,
    event_id: ids["event_id"]!,
    user_id: ids["user_id"]!,
    item_id: ids["item_id"]!,
    category_id: ids["category_id"]!,
    type: type as EventType,
    ts,
    source: source as EventSource,
    ...(ids["brand_id"] !== undefined && { brand_id: ids["brand_id"] }),
    ...(ids["shop_id"] !== undefined && { shop_id: ids["shop_id"] }),
    ...(price !== undefined && { price }),
    ...(ids["request_id"] !== undefined && { request_id: ids["request_id"] }),
    ...(position !== undefined && { position }),
  };
  return { ok: true, event };
}

/**
 * Parses and validates one message as received from Kafka (bytes or text). Never throws on bad
 * input: the failure names the field, the kind and the reason, ready for the DLQ.
 */
export function parseEvent(message: Uint8Array | string | null | undefined, opts: ValidateOptions = {}): ParseResult {
  if (message === null || message === undefined) return fail("bad_json", "$", "message has no value");
  const maxBytes = opts.maxBytes ?? 16_384;
  const size = typeof message === "string" ? byteLength(message) : message.byteLength;
  if (size > maxBytes) return fail("oversized", "$", `message is ${size} bytes, the limit is ${maxBytes}`);
  let text: string;
  try {
    text = typeof message === "string" ? message : decoder.decode(message);
  } catch {
    return fail("bad_json", "$", "message is not valid UTF-8");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail("bad_json", "$", `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return validateEvent(value, opts);
}
