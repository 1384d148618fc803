import type { PredictionMessage as PredictionV1Wire } from "./generated/prediction.v1.js";
import type { PredictionMessageV2 as PredictionV2Wire } from "./generated/prediction.v2.js";
import type { ItemMessage as ItemWire } from "./generated/item.v1.js";
import { shortValue } from "./describe.js";
import { messageChecker, type MessageCheck } from "./message.js";
import type { SchemaDocument } from "./schemas.js";

/** Id fields (wire type string | integer) as canonical strings. */
type Canon<T> = {
  readonly [K in keyof T]: string extends T[K] ? (number extends T[K] ? Exclude<T[K], number> : T[K]) : T[K];
};

/** A version 1 prediction (schemas/prediction.v1.schema.json): a served prediction. */
export type PredictionMessageV1 = Canon<PredictionV1Wire>;
/** A version 2 prediction (schemas/prediction.v2.schema.json): version 1 plus `shadow`. */
export type PredictionMessageV2 = Canon<PredictionV2Wire>;
/** A prediction message after validation, ids canonical: either version (`schema` tells them apart). */
export type PredictionMessage = PredictionMessageV1 | PredictionMessageV2;
/** An items-topic message after validation, ids canonical (schemas/item.v1.schema.json). */
export type ItemMessage = Canon<ItemWire>;

const versions = new Map<number, ReturnType<typeof messageChecker<PredictionMessage>>>([
  [1, messageChecker<PredictionMessage>("prediction.v1")],
  [2, messageChecker<PredictionMessage>("prediction.v2")],
]);
const SUPPORTED = [...versions.keys()].join(", ");

/**
 * The prediction contract: each message is checked against the schema of its `schema` version
 * (absent: 1), so version 1 messages keep working beside version 2. `schema` is the newest.
 */
export const predictionContract: {
  readonly schema: SchemaDocument;
  check(value: unknown): MessageCheck<PredictionMessage>;
} = {
  schema: versions.get(2)!.schema,
  check(value) {
    const v =
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? (value as { schema?: unknown }).schema
        : undefined;
    const checker = versions.get(v === undefined ? 1 : typeof v === "number" ? v : Number.NaN);
    if (checker !== undefined) return checker.check(value);
    return {
      ok: false,
      problem: { field: "schema", reason: `version ${shortValue(v)} is not supported (supported: ${SUPPORTED})` },
    };
  },
};

/** True for a shadow prediction (version 2 with shadow: true): logged, never served. */
export function isShadowPrediction(p: PredictionMessage): boolean {
  return p.schema === 2 && p.shadow === true;
}

export const itemContract = messageChecker<ItemMessage>("item.v1");
