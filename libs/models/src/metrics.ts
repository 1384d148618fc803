import { metrics } from "@opentelemetry/api";
import { METRICS } from "@seqlane/telemetry";

/**
 * Instruments of libs/models. Created lazily through the global MeterProvider, so they record
 * into whatever the service's telemetry set up (a no-op when none). Never throw on the hot path.
 */
const meter = () => metrics.getMeter("@seqlane/models");
let cache: ReturnType<typeof create> | undefined;

function create() {
  const m = meter();
  return {
    loads: m.createCounter("seqlane.models.loads", { description: "Model versions loaded and swapped in" }),
    loadFailures: m.createCounter("seqlane.models.load_failures", {
      description: "Model versions that failed to load, warm up or check",
    }),
    batchRows: m.createHistogram(METRICS.batchRows, { description: "Candidate rows per session.run" }),
    batchRequests: m.createHistogram("seqlane.models.batch_requests", {
      description: "Requests merged into one session.run",
    }),
    inferenceDuration: m.createHistogram(METRICS.inferenceDuration, { description: "session.run time", unit: "s" }),
    inferenceFailures: m.createCounter("seqlane.models.inference_failures", {
      description: "Failed session.run batches",
    }),
  };
}

export function modelMetrics(): ReturnType<typeof create> {
  cache ??= create();
  return cache;
}
