import { metrics, trace } from "@opentelemetry/api";
import type { Attributes } from "@opentelemetry/api";
import { METRICS } from "@seqlane/telemetry";

/** The ingest service's instruments, through the global OpenTelemetry API (no-ops until an SDK starts). */
export function createInstruments(lagOf: () => Iterable<[Attributes, number]>) {
  const meter = metrics.getMeter("seqlane-ingest");
  const events = meter.createCounter(METRICS.ingestEvents, {
    description: "Events consumed, by outcome (applied, duplicate, late, dlq)",
  });
  const dlq = meter.createCounter(METRICS.ingestDlq, { description: "Messages sent to the DLQ, by reason" });
  const late = meter.createCounter(METRICS.ingestLateDropped, {
    description: "Events later than the allowed lateness, left out of sequences",
  });
  const batch = meter.createHistogram(METRICS.ingestBatchDuration, {
    unit: "s",
    description: "Batch latency: fetch handed over to offsets committed",
  });
  const lag = meter.createObservableGauge(METRICS.ingestLag, {
    description: "Consumer lag in messages, per partition",
  });
  lag.addCallback((r) => {
    for (const [attrs, v] of lagOf()) r.observe(v, attrs);
  });
  return { tracer: trace.getTracer("seqlane-ingest"), events, dlq, late, batch };
}
