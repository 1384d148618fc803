import { metrics } from "@opentelemetry/api";
import { createInstrument } from "@seqlane/telemetry";

/**
 * Instruments of libs/models. Created lazily through the global MeterProvider, so they record
 * into whatever the service's telemetry set up (a no-op when none). Never throw on the hot path.
 */
const meter = () => metrics.getMeter("@seqlane/models");
let cache: ReturnType<typeof create> | undefined;

function create() {
  const m = meter();
  return {
    loads: createInstrument(m, "modelLoads"),
    loadFailures: createInstrument(m, "modelLoadFailures"),
    batchRows: createInstrument(m, "batchRows"),
    batchRequests: createInstrument(m, "modelBatchRequests"),
    inferenceDuration: createInstrument(m, "inferenceDuration"),
    inferenceFailures: createInstrument(m, "modelInferenceFailures"),
  };
}

export function modelMetrics(): ReturnType<typeof create> {
  cache ??= create();
  return cache;
}
