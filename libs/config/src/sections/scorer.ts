import { bool, int, list, secret, str } from "../option.js";

/** services/scorer: HTTP scoring over ONNX models. */
export const scorer = {
  host: str("SEQLANE_SCORER_HOST", "Address the scorer listens on", "127.0.0.1"),
  port: int("SEQLANE_SCORER_PORT", "Port the scorer listens on", 8080, 0, 65_535),
  registryDir: str(
    "SEQLANE_MODEL_REGISTRY",
    "Directory of model versions (<model>/<version>/model.onnx + manifest.json)",
    "models-registry",
  ),
  registryPollMs: int("SEQLANE_MODEL_POLL_MS", "How often the registry is scanned for new versions (ms)", 2000, 100),
  defaultModel: str("SEQLANE_DEFAULT_MODEL", "Model used when a request names none (empty: the first loaded)", ""),
  executionProviders: list<"cuda" | "cpu">(
    "SEQLANE_EXECUTION_PROVIDERS",
    "ONNX Runtime execution providers in order of preference",
    (p) => {
      if (!["cuda", "cpu"].includes(p)) throw new Error("must be cuda or cpu");
      return p as "cuda" | "cpu";
    },
    ["cuda", "cpu"],
  ),
  intraOpThreads: int("SEQLANE_ORT_INTRA_OP_THREADS", "ONNX Runtime intra-op threads (0: runtime default)", 0, 0, 256),
  interOpThreads: int("SEQLANE_ORT_INTER_OP_THREADS", "ONNX Runtime inter-op threads (0: runtime default)", 0, 0, 256),
  inferenceWorker: bool(
    "SEQLANE_ORT_WORKER",
    "Run each model's ONNX session in a worker thread (onnxruntime-node runs inference synchronously on the calling thread)",
    true,
  ),
  maxBatchRows: int("SEQLANE_BATCH_MAX_ROWS", "Most candidate rows merged into one session.run", 2048, 1),
  maxBatchWaitMs: int(
    "SEQLANE_BATCH_MAX_WAIT_MS",
    "Longest a request waits for others to join its batch while another batch runs (ms); an idle scorer runs at once",
    2,
    0,
    1000,
  ),
  microBatching: bool("SEQLANE_MICRO_BATCHING", "Merge concurrent requests into one ONNX run", true),
  tuneBatchRows: bool(
    "SEQLANE_BATCH_TUNE",
    "At load, measure throughput per merged-run size and lower the row limit to the smallest size within 10% of the best",
    true,
  ),
  maxQueuedRows: int("SEQLANE_MAX_QUEUED_ROWS", "Queued candidate rows beyond which requests get 503", 50_000, 1),
  maxCandidates: int("SEQLANE_MAX_CANDIDATES", "Most candidates per request", 1000, 1),
  maxBodyBytes: int("SEQLANE_MAX_BODY_BYTES", "Largest request body (bytes)", 1_048_576, 1024),
  requestTimeoutMs: int("SEQLANE_REQUEST_TIMEOUT_MS", "Per-request timeout (ms)", 1000, 1),
  maxInflightBytes: int(
    "SEQLANE_SCORER_MAX_INFLIGHT_BYTES",
    "Request-body bytes being received across all connections beyond which requests get 503 (keep it at least SEQLANE_MAX_BODY_BYTES)",
    67_108_864,
    1024,
  ),
  bodyTimeoutMs: int(
    "SEQLANE_SCORER_BODY_TIMEOUT_MS",
    "Longest a request's headers, and then its body, may take to arrive (ms); 408 after it",
    10_000,
    100,
    300_000,
  ),
  redisTimeoutMs: int(
    "SEQLANE_SCORER_REDIS_TIMEOUT_MS",
    "Redis command timeout (ms): a store that does not answer in time is a 503 with Retry-After, not a 504",
    250,
    1,
    60_000,
  ),
  authToken: secret("SEQLANE_SCORER_TOKEN", "Bearer token required on /v1 routes (empty: no auth)"),
  predictionBufferRows: int("SEQLANE_PREDICTION_BUFFER", "Bound of the prediction-log buffer (rows)", 100_000, 100),
  predictionFlushMs: int(
    "SEQLANE_PREDICTION_FLUSH_MS",
    "How often buffered predictions are sent to Kafka (ms)",
    200,
    10,
    60_000,
  ),
  predictionLog: bool("SEQLANE_PREDICTION_LOG", "Log every scored candidate to the predictions topic", true),
  itemCatalog: bool("SEQLANE_ITEM_CATALOG", "Follow the items topic to fill in missing item attributes", true),
  itemCatalogFromClickHouse: bool(
    "SEQLANE_ITEM_CATALOG_CLICKHOUSE",
    "Load each item's latest category and brand from ClickHouse events at start (before the items topic)",
    false,
  ),
  releaseGraceMs: int(
    "SEQLANE_MODEL_RELEASE_GRACE_MS",
    "How long a replaced model version stays open for requests already using it (ms)",
    30_000,
    0,
  ),
  trafficSplit: str(
    "SEQLANE_TRAFFIC_SPLIT",
    "Per-model version split by user-id hash, e.g. din=3:90,4:10;pooling=1:100 (empty: newest version); a model's <registry>/<model>/routing.json replaces its entry",
    "",
  ),
  shadowMaxRows: int(
    "SEQLANE_SHADOW_MAX_ROWS",
    "Candidate rows scored in shadow at once (after the responses); a request beyond it is not shadowed, and counted",
    4096,
    0,
  ),
} as const;
