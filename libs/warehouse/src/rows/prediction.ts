import { parseJson, predictionContract, type PredictionMessage } from "@seqlane/contracts";
import { rejectedRow, type KafkaCoordinates, type Mapped } from "./kafka.js";

/** A row of the ClickHouse `predictions` table: the Kafka message (CONTRACT) and where it came from. */
export interface PredictionRow extends Omit<PredictionMessage, "position" | "cvr" | "schema"> {
  readonly cvr: number | null;
  readonly position: number | null;
  readonly kafka_partition: number;
  readonly kafka_offset: string;
}

/** Maps a `predictions` message to a row, or to a rejected row naming the field and why. Never throws. */
export function toPredictionRow(value: Buffer | string | null, at: KafkaCoordinates): Mapped<PredictionRow> {
  const parsed = parseJson(value);
  const r = parsed.ok ? predictionContract.check(parsed.value) : parsed;
  if (!r.ok) return { ok: false, rejected: rejectedRow(at, value, r.problem.field, r.problem.reason) };
  const p = r.value;
  return {
    ok: true,
    row: {
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
    },
  };
}
