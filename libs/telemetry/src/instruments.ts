import type { Counter, Histogram, Meter, MetricOptions, ObservableGauge } from "@opentelemetry/api";
import { METRICS, type MetricKey, type MetricKind, type MetricSpec } from "./names.js";

/** The instrument type a kind of the table makes. */
export type InstrumentOf<K extends MetricKind> = K extends "counter"
  ? Counter
  : K extends "histogram"
    ? Histogram
    : ObservableGauge;

/**
 * Creates the instrument of one METRICS entry, with the table's name, unit, description and
 * buckets. It takes only table keys, so a metric that is not in the table does not compile;
 * every instrument of the project is made here (test/unit/names.test.ts checks the sources).
 */
export function createInstrument<K extends MetricKey>(meter: Meter, key: K): InstrumentOf<(typeof METRICS)[K]["kind"]> {
  const spec: MetricSpec | undefined = METRICS[key];
  // Only for callers without the types (plain JS): the signature already refuses other names.
  if (spec === undefined) throw new RangeError(`createInstrument: ${JSON.stringify(key)} is not a key of METRICS`);
  const options: MetricOptions = { unit: spec.unit, description: spec.description };
  if (spec.buckets !== undefined) options.advice = { explicitBucketBoundaries: [...spec.buckets] };
  type Made = InstrumentOf<(typeof METRICS)[K]["kind"]>;
  switch (spec.kind) {
    case "counter":
      return meter.createCounter(spec.name, options) as Made;
    case "histogram":
      return meter.createHistogram(spec.name, options) as Made;
    case "observableGauge":
      return meter.createObservableGauge(spec.name, options) as Made;
  }
}
