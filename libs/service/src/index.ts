export { loadAll } from "./config.js";
export type { SectionValues, Sections } from "./config.js";
export { EXIT, runService } from "./run.js";
export type { RunningService, ServiceContext, ServiceDefinition } from "./run.js";
export { startHealthServer } from "./health.js";
export type { HealthServerOptions, HealthStatus } from "./health.js";
export { ConsumerHealth } from "./consumer-health.js";
export type { ConsumerStatus, HealthReport } from "./consumer-health.js";
export {
  CONSUMER_GROUP,
  CONSUMER_RETRY,
  KAFKA_RETRY,
  consumerConfig,
  createKafka,
  isRetriableKafkaError,
  kafkaConfig,
} from "./kafka.js";
export type { KafkaClientOptions } from "./kafka.js";
