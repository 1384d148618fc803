import { isShadowPrediction, parseJson, predictionContract } from "@seqlane/contracts";
import { rejectedRow, type KafkaCoordinates, type Mapped } from "./kafka.js";

/**
 * A row of the ClickHouse `predictions` table (or `predictions_shadow`, same columns): the Kafka
 * message (CONTRACT, prediction v1 or v2) and where it came from.
 */
export interface PredictionRow {
  readonly request_id: string;
  readonly user_id: string;
  readonly item_id: string;
  readonly model: string;
  readonly version: string;
  readonly ctr: number;
  readonly cvr: number | null;
  readonly ts: number;
  readonly position: number | null;
  readonly kafka_partition: number;
  readonly kafka_offset: string;
}

/** Table of shadow predictions (prediction v2, shadow: true): never mixed with the served ones. */
export const SHADOW_TABLE = "predictions_shadow";

/**
 * Maps a `predictions` message to a row (a shadow prediction to a row of `predictions_shadow`),
 * or to a rejected row naming the field and why. Never throws.
 */
export function toPredictionRow(value: Buffer | string | null, at: KafkaCoordinates): Mapped<PredictionRow> {
  const parsed = parseJson(value);
  const r = parsed.ok ? predictionContract.check(parsed.value) : parsed;
  if (!r.ok) return { ok: false, rejected: rejectedRow(at, value, r.problem.field, r.problem.reason) };
  const p = r.value;
  const row: PredictionRow = {
    request_id: p.request_id,
    user_id: p.user_id,
    item_id: p.item_id,
    model: p.model,
    version: p.version,
    ctr: p.ctr,
    cvr: p.cvr ?? null,
    ts: p.ts,
    position: p.position ?? null,
    kafka_partition: at.partition,
    kafka_offset: at.offset,
  };
  return isShadowPrediction(p) ? { ok: true, row, table: SHADOW_TABLE } : { ok: true, row };
}
