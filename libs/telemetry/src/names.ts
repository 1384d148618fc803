/**
 * Metric names shared across services, so dashboards and the demo's summary agree.
 * Units follow OpenTelemetry conventions (seconds for durations recorded as histograms).
 */
export const METRICS = {
  ingestEvents: "seqlane.ingest.events",
  ingestDlq: "seqlane.ingest.dlq",
  ingestLateDropped: "seqlane.ingest.late_dropped",
  ingestBatchDuration: "seqlane.ingest.batch.duration",
  ingestLag: "seqlane.ingest.lag",
  scoreDuration: "seqlane.scorer.request.duration",
  scoreCandidates: "seqlane.scorer.candidates",
  inferenceDuration: "seqlane.scorer.inference.duration",
  batchRows: "seqlane.scorer.batch.rows",
  predictionLogDropped: "seqlane.scorer.prediction_log.dropped",
  recorderRows: "seqlane.recorder.rows",
  recorderFailures: "seqlane.recorder.failures",
} as const;
