import { hostPort, int, list, secret, str, url } from "../option.js";

/** Kafka connection shared by every service. */
export const kafka = {
  brokers: list("SEQLANE_KAFKA_BROKERS", "Kafka bootstrap brokers, comma-separated host:port", hostPort, [
    "127.0.0.1:9092",
  ]),
  clientId: str("SEQLANE_KAFKA_CLIENT_ID", "Kafka client id prefix", "seqlane", /^[A-Za-z0-9._-]{1,64}$/),
  connectTimeoutMs: int("SEQLANE_KAFKA_CONNECT_TIMEOUT_MS", "Kafka connection timeout (ms)", 5000, 100, 120_000),
  eventsTopic: str("SEQLANE_TOPIC_EVENTS", "Topic of behaviour events", "behavior-events", /^[A-Za-z0-9._-]{1,249}$/),
  dlqTopic: str(
    "SEQLANE_TOPIC_DLQ",
    "Dead-letter topic for invalid events",
    "behavior-events.dlq",
    /^[A-Za-z0-9._-]{1,249}$/,
  ),
  predictionsTopic: str(
    "SEQLANE_TOPIC_PREDICTIONS",
    "Topic of logged predictions",
    "predictions",
    /^[A-Za-z0-9._-]{1,249}$/,
  ),
  itemsTopic: str("SEQLANE_TOPIC_ITEMS", "Compacted topic of item attributes", "items", /^[A-Za-z0-9._-]{1,249}$/),
} as const;

/** Redis holding sequences and BullMQ queues. */
export const redis = {
  url: url("SEQLANE_REDIS_URL", "Redis URL", "redis://127.0.0.1:6379", ["redis:", "rediss:"]),
  keyPrefix: str("SEQLANE_REDIS_PREFIX", "Prefix of every Redis key Seqlane writes", "sl:", /^[A-Za-z0-9:_-]{0,32}$/),
} as const;

/** ClickHouse warehouse over HTTP. */
export const clickhouse = {
  url: url("SEQLANE_CLICKHOUSE_URL", "ClickHouse HTTP URL", "http://127.0.0.1:8123", ["http:", "https:"]),
  database: str("SEQLANE_CLICKHOUSE_DATABASE", "ClickHouse database", "seqlane", /^[A-Za-z_][A-Za-z0-9_]{0,63}$/),
  user: str("SEQLANE_CLICKHOUSE_USER", "ClickHouse user", "default"),
  password: secret("SEQLANE_CLICKHOUSE_PASSWORD", "ClickHouse password"),
} as const;
