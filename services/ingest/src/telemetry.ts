import { metrics, trace } from "@opentelemetry/api";
import type { Attributes } from "@opentelemetry/api";
import { createInstrument } from "@seqlane/telemetry";

/** The ingest service's instruments, through the global OpenTelemetry API (no-ops until an SDK starts). */
export function createInstruments(lagOf: () => Iterable<[Attributes, number]>) {
  const meter = metrics.getMeter("seqlane-ingest");
  const events = createInstrument(meter, "ingestEvents");
  const dlq = createInstrument(meter, "ingestDlq");
  const late = createInstrument(meter, "ingestLateDropped");
  const batch = createInstrument(meter, "ingestBatchDuration");
  const lag = createInstrument(meter, "ingestLag");
  lag.addCallback((r) => {
    for (const [attrs, v] of lagOf()) r.observe(v, attrs);
  });
  return { tracer: trace.getTracer("seqlane-ingest"), events, dlq, late, batch };
}
