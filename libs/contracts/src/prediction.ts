import type { PredictionMessage as PredictionWire } from "./generated/prediction.v1.js";
import type { ItemMessage as ItemWire } from "./generated/item.v1.js";
import { messageChecker } from "./message.js";

/** Id fields (wire type string | integer) as canonical strings. */
type Canon<T> = {
  readonly [K in keyof T]: string extends T[K] ? (number extends T[K] ? Exclude<T[K], number> : T[K]) : T[K];
};

/** A prediction message after validation, ids canonical (schemas/prediction.v1.schema.json). */
export type PredictionMessage = Canon<PredictionWire>;
/** An items-topic message after validation, ids canonical (schemas/item.v1.schema.json). */
export type ItemMessage = Canon<ItemWire>;

export const predictionContract = messageChecker<PredictionMessage>("prediction.v1");
export const itemContract = messageChecker<ItemMessage>("item.v1");
