/** Which `Meter.create*` call makes an instrument. */
export type MetricKind = "counter" | "histogram" | "observableGauge";

/** One metric: everything an exporter, a dashboard and a reader of the code need to agree on. */
export interface MetricSpec {
  readonly name: string;
  readonly kind: MetricKind;
  /** UCUM unit per the OpenTelemetry semantic conventions: `s` for durations, `{thing}` for counts. */
  readonly unit: string;
  readonly description: string;
  /** Histogram bucket boundaries (the SDK's defaults suit milliseconds, not seconds). */
  readonly buckets?: readonly number[];
}

/** Bucket boundaries for durations in seconds: sub-millisecond scoring up to 10 s inserts. */
const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/**
 * Every metric of Seqlane, so dashboards, docs and the demo agree; instruments are created
 * from it with `createInstrument` only (a test fails on any other `create*` call). Durations
 * are histograms in seconds, per the OpenTelemetry semantic conventions.
 */
export const METRICS = {
  ingestEvents: {
    name: "seqlane.ingest.events",
    kind: "counter",
    unit: "{event}",
    description: "Events consumed, by outcome (applied, duplicate, late, dlq)",
  },
  ingestDlq: {
    name: "seqlane.ingest.dlq",
    kind: "counter",
    unit: "{message}",
    description: "Messages sent to the DLQ, by reason",
  },
  ingestLateDropped: {
    name: "seqlane.ingest.late_dropped",
    kind: "counter",
    unit: "{event}",
    description: "Events later than the allowed lateness, left out of sequences",
  },
  ingestBatchDuration: {
    name: "seqlane.ingest.batch.duration",
    kind: "histogram",
    unit: "s",
    description: "Batch latency: fetch handed over to offsets committed",
    buckets: SECONDS,
  },
  ingestLag: {
    name: "seqlane.ingest.lag",
    kind: "observableGauge",
    unit: "{message}",
    description: "Consumer lag in messages, per partition",
  },
  scoreDuration: {
    name: "seqlane.scorer.request.duration",
    kind: "histogram",
    unit: "s",
    description: "POST /v1/score latency",
    buckets: SECONDS,
  },
  scoreCandidates: {
    name: "seqlane.scorer.candidates",
    kind: "counter",
    unit: "{candidate}",
    description: "Candidates scored",
  },
  scoreShed: {
    name: "seqlane.scorer.shed",
    kind: "counter",
    unit: "{request}",
    description: "Requests refused with 503 because the queue was full",
  },
  catalogMisses: {
    name: "seqlane.scorer.catalog.misses",
    kind: "counter",
    unit: "{candidate}",
    description: "Candidates without category that the catalog did not know",
  },
  predictionLogDropped: {
    name: "seqlane.scorer.prediction_log.dropped",
    kind: "counter",
    unit: "{prediction}",
    description: "Predictions dropped because the log buffer was full",
  },
  scoreShadow: {
    name: "seqlane.scorer.shadow",
    kind: "counter",
    unit: "{candidate}",
    description: "Candidates scored in shadow after the response, by outcome (scored, failed, skipped) and version",
  },
  inferenceDuration: {
    name: "seqlane.scorer.inference.duration",
    kind: "histogram",
    unit: "s",
    description: "session.run time",
    buckets: SECONDS,
  },
  batchRows: {
    name: "seqlane.scorer.batch.rows",
    kind: "histogram",
    unit: "{row}",
    description: "Candidate rows per session.run",
  },
  modelLoads: {
    name: "seqlane.models.loads",
    kind: "counter",
    unit: "{version}",
    description: "Model versions loaded and swapped in",
  },
  modelLoadFailures: {
    name: "seqlane.models.load_failures",
    kind: "counter",
    unit: "{version}",
    description: "Model versions that failed to load, warm up or check",
  },
  modelBatchRequests: {
    name: "seqlane.models.batch_requests",
    kind: "histogram",
    unit: "{request}",
    description: "Requests merged into one session.run",
  },
  modelInferenceFailures: {
    name: "seqlane.models.inference_failures",
    kind: "counter",
    unit: "{batch}",
    description: "Failed session.run batches",
  },
  recorderRows: {
    name: "seqlane.recorder.rows",
    kind: "counter",
    unit: "{row}",
    description: "Rows inserted into ClickHouse",
  },
  recorderRejected: {
    name: "seqlane.recorder.rejected",
    kind: "counter",
    unit: "{message}",
    description: "Messages recorded as rejected",
  },
  recorderParkedRows: {
    name: "seqlane.recorder.parked_rows",
    kind: "counter",
    unit: "{row}",
    description: "Rows parked in the retry queue",
  },
  recorderFailures: {
    name: "seqlane.recorder.failures",
    kind: "counter",
    unit: "{insert}",
    description: "Failed ClickHouse inserts",
  },
  recorderInsertDuration: {
    name: "seqlane.recorder.insert.duration",
    kind: "histogram",
    unit: "s",
    description: "ClickHouse insert time, retries included",
    buckets: SECONDS,
  },
  recorderBatchRows: {
    name: "seqlane.recorder.batch_rows",
    kind: "histogram",
    unit: "{row}",
    description: "Rows per insert",
  },
  recorderLag: {
    name: "seqlane.recorder.lag",
    kind: "observableGauge",
    unit: "{message}",
    description: "Messages behind the partition's high watermark",
  },
} as const satisfies Record<string, MetricSpec>;

/** A key of the METRICS table. */
export type MetricKey = keyof typeof METRICS;
