import { EVENT_FUTURE_SKEW_MS, EVENT_MAX_BYTES } from "@seqlane/contracts";
import { bool, int, str } from "../option.js";

/** services/ingest: Kafka -> sequences in Redis. */
export const ingest = {
  groupId: str(
    "SEQLANE_INGEST_GROUP",
    "Consumer group of the ingest service",
    "seqlane-ingest",
    /^[A-Za-z0-9._-]{1,128}$/,
  ),
  sequenceSpecPath: str(
    "SEQLANE_SEQUENCE_SPEC",
    "Path of a JSON sequence spec overriding the default bounds (empty: defaults)",
    "",
  ),
  allowedLatenessMs: int(
    "SEQLANE_ALLOWED_LATENESS_MS",
    "Events older than the user's newest by more than this are left out of sequences",
    3_600_000,
    0,
  ),
  maxFutureSkewMs: int(
    "SEQLANE_MAX_FUTURE_SKEW_MS",
    "Events stamped further than this in the future are rejected to the DLQ",
    // The event contract's (schemas/event.v1.schema.json), so ingest and the recorder agree by default.
    EVENT_FUTURE_SKEW_MS,
    0,
  ),
  maxEventBytes: int("SEQLANE_MAX_EVENT_BYTES", "Largest accepted event message (bytes)", EVENT_MAX_BYTES, 256),
  stateTtlSeconds: int(
    "SEQLANE_STATE_TTL_SECONDS",
    "TTL of a user's sequence state in Redis, refreshed on each write",
    400 * 86_400,
    60,
  ),
  metricsPort: int("SEQLANE_INGEST_METRICS_PORT", "Port of /healthz and /metrics (0: off)", 0, 0, 65_535),
  fromBeginning: bool(
    "SEQLANE_INGEST_FROM_BEGINNING",
    "A new consumer group starts at the earliest offset (else the latest)",
    true,
  ),
  maxBatchBytes: int(
    "SEQLANE_INGEST_MAX_BATCH_BYTES",
    "Most bytes fetched per partition per batch (kafkajs maxBytesPerPartition)",
    1_048_576,
    1024,
  ),
  partitionsConcurrently: int(
    "SEQLANE_INGEST_CONCURRENCY",
    "Partitions processed concurrently (kafkajs partitionsConsumedConcurrently); overlaps one batch's Redis round trip with the next one's parsing",
    3,
    1,
    64,
  ),
  cacheUsers: int(
    "SEQLANE_INGEST_CACHE_USERS",
    "Users whose state is cached between batches (writes stay compare-and-set; 0: off)",
    20_000,
    0,
  ),
  processingThread: bool(
    "SEQLANE_INGEST_THREAD",
    "Parse, apply and write to Redis in a worker thread (helps when the service has a spare core)",
    false,
  ),
  stopTimeoutMs: int(
    "SEQLANE_INGEST_STOP_TIMEOUT_MS",
    "Longest SIGTERM waits for the current batch (e.g. Redis down) before leaving uncommitted",
    30_000,
    0,
  ),
} as const;
