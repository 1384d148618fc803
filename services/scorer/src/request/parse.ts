import type { CandidateInput, RequestContext } from "@seqlane/features";
import { ValidationError } from "../http/errors.js";
import { describeValue } from "./describe.js";
import { parseId } from "./ids.js";

/** A candidate as requested; `position` is logged with the prediction when given. */
export interface RequestCandidate extends CandidateInput {
  readonly position?: number;
}

/** A validated POST /v1/score body. */
export interface ScoreRequest {
  readonly requestId?: string;
  readonly userId: string | number;
  readonly candidates: readonly RequestCandidate[];
  readonly context: RequestContext;
  readonly model?: string;
  readonly version?: string;
}

/** The string fields: pattern, and the shape in words for the message. */
const MODEL_NAME = { re: /^[a-z][a-z0-9_-]{0,63}$/, shape: "1..64 of a-z 0-9 _ -, starting with a letter" };
const VERSION = { re: /^[A-Za-z0-9._-]{1,64}$/, shape: "1..64 of A-Z a-z 0-9 . _ -" };
const REQUEST_ID = { re: /^[A-Za-z0-9._:-]{1,64}$/, shape: "1..64 of A-Z a-z 0-9 . _ : -" };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function optInt(
  obj: Record<string, unknown>,
  key: string,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
    throw new ValidationError(field, `must be an integer in [${min}, ${max}] (got ${describeValue(v)})`);
  return v as number;
}

function optPattern(
  obj: Record<string, unknown>,
  key: string,
  pattern: { readonly re: RegExp; readonly shape: string },
): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || !pattern.re.test(v))
    throw new ValidationError(key, `must be a string of ${pattern.shape} (got ${describeValue(v)})`);
  return v;
}

/**
 * Validates a parsed JSON body against the score API. Throws ValidationError naming the first
 * bad field, e.g. `candidates[3].item_id: must be a string or a non-negative integer (got boolean)`.
 */
export function parseScoreRequest(body: unknown, maxCandidates: number): ScoreRequest {
  if (!isObject(body))
    throw new ValidationError("(body)", "must be a JSON object {user_id, candidates, context?, model?}");
  if (body.user_id === undefined) throw new ValidationError("user_id", "is required");
  const userId = parseId(body.user_id, "user_id");
  const raw = body.candidates;
  if (raw === undefined) throw new ValidationError("candidates", "is required");
  if (!Array.isArray(raw))
    throw new ValidationError("candidates", "must be an array of {item_id, category_id?, brand_id?}");
  if (raw.length === 0) throw new ValidationError("candidates", "must not be empty");
  if (raw.length > maxCandidates)
    throw new ValidationError("candidates", `must have at most ${maxCandidates} items (got ${raw.length})`);
  const candidates: RequestCandidate[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const c: unknown = raw[i];
    const at = `candidates[${i}]`;
    if (!isObject(c)) throw new ValidationError(at, "must be an object {item_id, category_id?, brand_id?}");
    if (c.item_id === undefined) throw new ValidationError(`${at}.item_id`, "is required");
    const cand: {
      itemId: string | number;
      categoryId?: string | number;
      brandId?: string | number;
      position?: number;
    } = {
      itemId: parseId(c.item_id, `${at}.item_id`),
    };
    if (c.category_id !== undefined && c.category_id !== null)
      cand.categoryId = parseId(c.category_id, `${at}.category_id`);
    if (c.brand_id !== undefined && c.brand_id !== null) cand.brandId = parseId(c.brand_id, `${at}.brand_id`);
    const position = optInt(c, "position", `${at}.position`, 0, 1_000_000);
    if (position !== undefined) cand.position = position;
    candidates[i] = cand;
  }
  let context: RequestContext = {};
  if (body.context !== undefined && body.context !== null) {
    if (!isObject(body.context))
      throw new ValidationError("context", "must be an object {hour_of_day?, day_of_week?, position?}");
    context = {
      hourOfDay: optInt(body.context, "hour_of_day", "context.hour_of_day", 0, 23),
      dayOfWeek: optInt(body.context, "day_of_week", "context.day_of_week", 0, 6),
      position: optInt(body.context, "position", "context.position", 0, 1_000_000),
    };
  }
  const model = optPattern(body, "model", MODEL_NAME);
  const version = optPattern(body, "version", VERSION);
  const requestId = optPattern(body, "request_id", REQUEST_ID);
  return {
    userId,
    candidates,
    context,
    ...(model === undefined ? {} : { model }),
    ...(version === undefined ? {} : { version }),
    ...(requestId === undefined ? {} : { requestId }),
  };
}
