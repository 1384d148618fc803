import { isUtf8 } from "node:buffer";
import { EVENT_FUTURE_SKEW_MS, EVENT_MAX_BYTES, checkEvent } from "@seqlane/contracts";
import { EventValidationError } from "./errors.js";
import type { BehaviourEvent } from "./schema.js";

/** Limits the validator applies; the defaults are the event contract's (schemas/event.v1.schema.json). */
export interface ValidateOptions {
  /** Largest accepted message in bytes. Default: the contract's `maxBytes`. */
  readonly maxBytes?: number;
  /** Events stamped later than the reference time plus this are rejected. Default: the contract's `futureSkewMs`. */
  readonly maxFutureSkewMs?: number;
}

export type ParseResult =
  { readonly ok: true; readonly event: BehaviourEvent } | { readonly ok: false; readonly error: EventValidationError };

function fail(kind: EventValidationError["kind"], field: string, reason: string): ParseResult {
  return { ok: false, error: new EventValidationError(kind, field, reason) };
}

function byteLength(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, "utf8");
  return s.length;
}

/**
 * Validates an already-parsed JSON value against the event contract (libs/contracts). Unknown
 * fields are ignored (forward compatibility); the result holds canonical ids and only the
 * contract's fields. `referenceTs` is what "in the future" is judged against: the message's
 * Kafka timestamp wherever there is one, so that ingest, the recorder and replay decide alike.
 */
export function validateEvent(
  value: unknown,
  opts: ValidateOptions = {},
  referenceTs: number = Date.now(),
): ParseResult {
  let r;
  try {
    r = checkEvent(value, referenceTs, opts.maxFutureSkewMs ?? EVENT_FUTURE_SKEW_MS);
  } catch (e) {
    // A defect of ours must not stop a consumer for good on one message: reject it, naming why.
    return fail(
      "invalid_value",
      "$",
      `could not be validated (${e instanceof Error ? e.message.slice(0, 200) : "error"})`,
    );
  }
  if (r.ok) return r;
  return fail(r.rejection.kind, r.rejection.field, r.rejection.reason);
}

/**
 * Parses and validates one message as received from Kafka (bytes or text). Never throws on bad
 * input: the failure names the field, the kind and the reason, ready for the DLQ. `referenceTs`
 * is the message's Kafka timestamp (epoch ms); without one, the time of reading.
 */
export function parseEvent(
  message: Uint8Array | string | null | undefined,
  opts: ValidateOptions = {},
  referenceTs: number = Date.now(),
): ParseResult {
  if (message === null || message === undefined) return fail("bad_json", "$", "message has no value");
  const maxBytes = opts.maxBytes ?? EVENT_MAX_BYTES;
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
    // V8's messages quote at most a few characters of the input: safe to pass on.
    return fail("bad_json", "$", `not valid JSON (${e instanceof Error ? e.message.slice(0, 200) : "parse error"})`);
  }
  return validateEvent(value, opts, referenceTs);
}

/** A Kafka message timestamp (kafkajs's string) as epoch ms; the time of reading when there is none. */
export function kafkaTime(timestamp: string | undefined): number {
  const t = timestamp === undefined ? NaN : Number(timestamp);
  return Number.isFinite(t) && t > 0 ? t : Date.now();
}
