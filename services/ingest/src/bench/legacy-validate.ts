/**
 * BENCHMARK BASELINE ONLY: the hand-written event validator that libs/events had before the
 * event contract became one JSON Schema (libs/contracts), frozen as it was so that the ingest
 * benchmark can print parse + validate per event against it in the same process. Nothing in the
 * product calls it; its rules are not the contract's (they differ on the cases the contracts
 * issue fixed).
 */
import { isUtf8 } from "node:buffer";
import { EVENT_SOURCES, EVENT_TYPES, EventValidationError, SCHEMA_VERSION, canonicalId } from "@seqlane/events";
import type { BehaviourEvent, EventSource, EventType } from "@seqlane/events";

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
  { readonly ok: true; readonly event: BehaviourEvent } | { readonly ok: false; readonly error: EventValidationError };

const MAX_ID_BYTES = 128;
const MIN_TS = Date.UTC(2000, 0, 1);
const CONTROL = /[\u0000-\u001f\u007f]/;
const TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const SOURCES: ReadonlySet<string> = new Set(EVENT_SOURCES);

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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const isResult = (v: unknown): v is ParseResult => typeof v === "object" && v !== null;

/**
 * Validates an already-parsed JSON value against the event contract. Unknown fields are ignored
 * (forward compatibility); the result holds canonical ids and only the contract's fields.
 */
function validateEvent(value: unknown, opts: ValidateOptions = {}): ParseResult {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("not_object", "$", "must be a JSON object");
  }
  const obj = value as Record<string, unknown>;
  const schema = obj["schema"];
  if (schema === undefined) return fail("missing_field", "schema", `is required (the number ${SCHEMA_VERSION})`);
  if (schema !== SCHEMA_VERSION) {
    return fail(
      "schema_version",
      "schema",
      `version ${JSON.stringify(schema)} is not supported (expected ${SCHEMA_VERSION})`,
    );
  }
  // Straight-line reads (no loops over field tables, no spreads): this runs once per message.
  const event_id = readId(obj, "event_id", true);
  if (isResult(event_id)) return event_id;
  const user_id = readId(obj, "user_id", true);
  if (isResult(user_id)) return user_id;
  const item_id = readId(obj, "item_id", true);
  if (isResult(item_id)) return item_id;
  const category_id = readId(obj, "category_id", true);
  if (isResult(category_id)) return category_id;
  const brand_id = readId(obj, "brand_id", false);
  if (isResult(brand_id)) return brand_id;
  const shop_id = readId(obj, "shop_id", false);
  if (isResult(shop_id)) return shop_id;
  const request_id = readId(obj, "request_id", false);
  if (isResult(request_id)) return request_id;
  const type = obj["type"];
  if (type === undefined) return fail("missing_field", "type", `is required (one of ${EVENT_TYPES.join(", ")})`);
  if (typeof type !== "string") return fail("wrong_type", "type", `must be a string, got ${typeof type}`);
  if (!TYPES.has(type))
    return fail("unknown_type", "type", `${JSON.stringify(type.slice(0, 32))} is not one of ${EVENT_TYPES.join(", ")}`);
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

  const event: Mutable<BehaviourEvent> = {
    schema: SCHEMA_VERSION as 1,
    event_id: event_id!,
    user_id: user_id!,
    item_id: item_id!,
    category_id: category_id!,
    type: type as EventType,
    ts,
    source: source as EventSource,
  };
  if (brand_id !== undefined) event.brand_id = brand_id;
  if (shop_id !== undefined) event.shop_id = shop_id;
  if (price !== undefined) event.price = price;
  if (request_id !== undefined) event.request_id = request_id;
  if (position !== undefined) event.position = position;
  return { ok: true, event };
}

/**
 * Parses and validates one message as received from Kafka (bytes or text). Never throws on bad
 * input: the failure names the field, the kind and the reason, ready for the DLQ.
 */
export function legacyParseEvent(
  message: Uint8Array | string | null | undefined,
  opts: ValidateOptions = {},
): ParseResult {
  if (message === null || message === undefined) return fail("bad_json", "$", "message has no value");
  const maxBytes = opts.maxBytes ?? 16_384;
  const size = typeof message === "string" ? byteLength(message) : message.byteLength;
  if (size > maxBytes) return fail("oversized", "$", `message is ${size} bytes, the limit is ${maxBytes}`);
  let text: string;
  if (typeof message === "string") text = message;
  else {
    if (!isUtf8(message)) return fail("bad_json", "$", "message is not valid UTF-8");
    text = Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString("utf8");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail("bad_json", "$", `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return validateEvent(value, opts);
}
