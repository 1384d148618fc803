import type { PredictionMessage } from "@seqlane/events";
import { FieldProblem, epochMs, id, optionalPosition, parseObject, probability } from "./fields.js";
import { rejectedRow, type KafkaCoordinates, type Mapped } from "./kafka.js";

/** A row of the ClickHouse `predictions` table: the Kafka message (CONTRACT) and where it came from. */
export interface PredictionRow extends Omit<PredictionMessage, "position"> {
  readonly position: number | null;
  readonly kafka_partition: number;
  readonly kafka_offset: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function name(o: Record<string, unknown>, field: string): string {
  const v = typeof o[field] === "number" && Number.isSafeInteger(o[field]) ? String(o[field]) : o[field];
  if (typeof v !== "string" || !NAME.test(v)) throw new FieldProblem(field, `must match ${String(NAME)}`);
  return v;
}

/** Maps a `predictions` message to a row, or to a rejected row. Never throws. */
export function toPredictionRow(value: Buffer | string | null, at: KafkaCoordinates): Mapped<PredictionRow> {
  try {
    const o = parseObject(value);
    return {
      ok: true,
      row: {
        request_id: id(o, "request_id"),
        user_id: id(o, "user_id"),
        item_id: id(o, "item_id"),
        model: name(o, "model"),
        version: name(o, "version"),
        ctr: probability(o, "ctr", false) as number,
        cvr: probability(o, "cvr", true),
        ts: epochMs(o, "ts"),
        position: optionalPosition(o, "position"),
        kafka_partition: at.partition,
        kafka_offset: at.offset,
      },
    };
  } catch (e) {
    if (!(e instanceof FieldProblem)) throw e;
    return { ok: false, rejected: rejectedRow(at, value, e.field, e.reason) };
  }
}
