export { WarehouseError, InvalidSqlInputError, QueryError, InsertError, MigrationError } from "./errors.js";
export { Sql, sql, ident, qualified, lit, joinSql, quoteString, IDENTIFIER } from "./sql/builder.js";
export type { SqlValue } from "./sql/builder.js";
export { modelName, parseDuration, parseSince, epochMs, MODEL_NAME } from "./sql/inputs.js";
export { createWarehouse } from "./client/warehouse.js";
export type { Warehouse, WarehouseOptions } from "./client/warehouse.js";
export { isRetriable } from "./client/classify.js";
export { migrate, retarget } from "./migrate/migrate.js";
export type { MigrateOptions, MigrateResult } from "./migrate/migrate.js";
export { readMigrations, splitStatements } from "./migrate/files.js";
export type { MigrationFile } from "./migrate/files.js";
export { toEventRow, eventRow, rowToEvent, EVENT_TYPES, EVENT_SOURCES } from "./rows/event.js";
export type { EventRow } from "./rows/event.js";
export { SHADOW_TABLE, toPredictionRow } from "./rows/prediction.js";
export type { PredictionRow } from "./rows/prediction.js";
export type { KafkaCoordinates, RejectedRow, Mapped } from "./rows/kafka.js";
export {
  auc,
  gauc,
  logloss,
  normalizedEntropy,
  calibration,
  reliabilityBins,
  bernoulliEntropy,
  binOf,
  LOGLOSS_EPS,
} from "./eval/metrics.js";
export type { ReliabilityBin } from "./eval/metrics.js";
export { Z95, aucWithVariance, normalInterval, pairedAucDifference } from "./eval/delong.js";
export type { AucEstimate, PairedAucEstimate } from "./eval/delong.js";
export { evalQuery, evalInsert, predictionWindow, TASKS } from "./eval/queries.js";
export { labelledCount, labelledPredictions, labelledUsers } from "./train/labelled.js";
export type { LabelledRow, LabelledWindow } from "./train/labelled.js";
export type { EvalFilter, EvalRow, Task } from "./eval/queries.js";
export { labelInsert, DEFAULT_WINDOWS } from "./label/label.js";
export type { AttributionWindows, LabelRange } from "./label/label.js";
export { labelClosedWindows } from "./label/job.js";
export type { LabelJobOptions, LabelJobResult } from "./label/job.js";
export { writeModelEval } from "./eval/job.js";
export type { EvalJobOptions } from "./eval/job.js";
export { DEFAULT_RULE, judge } from "./canary/rule.js";
export type { ArmComparison, ArmFigures, CanaryAction, CanaryRule, Verdict } from "./canary/rule.js";
export {
  DECISION_COLUMNS,
  SAMPLE_SLOTS,
  armRows,
  latestDecisions,
  shadowCount,
  shadowPairs,
} from "./canary/queries.js";
export type { ArmRowsFilter, ShadowFilter } from "./canary/queries.js";
export { CI_METHOD, compareArms, compareShadow } from "./canary/figures.js";
export type { ArmsWindow, ShadowComparison } from "./canary/figures.js";
export { decisionRow, recordDecision } from "./canary/decisions.js";
export type { DecisionAction, DecisionInput, DecisionRow } from "./canary/decisions.js";
