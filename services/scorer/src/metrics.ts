import { metrics } from "@opentelemetry/api";
import { METRICS } from "@seqlane/telemetry";

let cache: ReturnType<typeof create> | undefined;

function create() {
  const m = metrics.getMeter("@seqlane/scorer");
  return {
    duration: m.createHistogram(METRICS.scoreDuration, { description: "POST /v1/score latency", unit: "s" }),
    candidates: m.createCounter(METRICS.scoreCandidates, { description: "Candidates scored" }),
    shed: m.createCounter("seqlane.scorer.shed", {
      description: "Requests refused with 503 because the queue was full",
    }),
  };
}

/** Scorer instruments on the global MeterProvider (no-op until telemetry starts). */
export function scorerMetrics(): ReturnType<typeof create> {
  cache ??= create();
  return cache;
}
