export { startTelemetry } from "./start.js";
export type { Telemetry, TelemetryOptions } from "./start.js";
export { exporterNames } from "./exporters.js";
export { injectKafkaHeaders, extractKafkaContext } from "./kafka-headers.js";
export type { MessageHeaders } from "./kafka-headers.js";
export { SpanStatsProcessor } from "./span-stats.js";
export type { SpanSummary } from "./span-stats.js";
export { METRICS } from "./names.js";
export { kafkaLogCreator } from "./kafka-log.js";
