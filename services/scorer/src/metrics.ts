import { metrics } from "@opentelemetry/api";
import { createInstrument } from "@seqlane/telemetry";

let cache: ReturnType<typeof create> | undefined;

function create() {
  const m = metrics.getMeter("@seqlane/scorer");
  return {
    duration: createInstrument(m, "scoreDuration"),
    candidates: createInstrument(m, "scoreCandidates"),
    shed: createInstrument(m, "scoreShed"),
  };
}

/** Scorer instruments on the global MeterProvider (no-op until telemetry starts). */
export function scorerMetrics(): ReturnType<typeof create> {
  cache ??= create();
  return cache;
}
