import type { StoreCheck } from "./routes/health.js";
import { defaults, scorer as scorerSpec } from "@seqlane/config";
import type { BatcherOptions, Logger, SessionConfig } from "@seqlane/models";
import type { SequenceStore } from "@seqlane/sequences";
import type { Logger as ServiceLogger } from "@seqlane/telemetry";
import type { ItemCatalog } from "./catalog/catalog.js";
import type { PredictionSink } from "./predictions/log.js";

/** The scorer's logger: info/warn/error, and debug where the logger has it (else info is used). */
export type ScorerLogger = Logger & Partial<Pick<ServiceLogger, "debug">>;

/**
 * Everything createScorer needs; main.ts fills it from libs/config, tests directly. Defaults
 * are libs/config's (`SEQLANE_*` in parentheses), applied once by `resolveOptions`.
 */
export interface ScorerOptions {
  /** Listen address. Default "127.0.0.1" (SEQLANE_SCORER_HOST). */
  readonly host?: string;
  /** Listen port; 0 picks a free one. Default 8080 (SEQLANE_SCORER_PORT). */
  readonly port?: number;
  /** Model registry directory. */
  readonly registryDir: string;
  /** Registry poll interval (ms); 0: no polling. Default 2000 (SEQLANE_MODEL_POLL_MS). */
  readonly registryPollMs?: number;
  /** Model used when a request names none; "" = first loaded by name. Default "". */
  readonly defaultModel?: string;
  /** ONNX Runtime providers and threads. Default cuda then cpu, runtime thread defaults. */
  readonly session?: SessionConfig;
  /** Micro-batching. Default {maxRows: 2048, maxWaitMs: 2, enabled: true}. */
  readonly batching?: BatcherOptions;
  /** Candidate rows admitted (queued or running) beyond which requests get 503. Default 50000. */
  readonly maxQueuedRows?: number;
  /** Most candidates in one request. Default 1000. */
  readonly maxCandidates?: number;
  /** Largest body (bytes). Default 1 MiB (SEQLANE_MAX_BODY_BYTES). */
  readonly maxBodyBytes?: number;
  /**
   * Request-body bytes being received across all connections beyond which requests get 503 +
   * Retry-After (a declared body reserves its whole size). Default 64 MiB
   * (SEQLANE_SCORER_MAX_INFLIGHT_BYTES).
   */
  readonly maxInflightBytes?: number;
  /** Longest the headers, and then the body, of a request may take (ms); 408 after it. Default 10000. */
  readonly bodyTimeoutMs?: number;
  /** Per-request timeout (ms); 504 after it. Default 1000 (SEQLANE_REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs?: number;
  /** Bearer token required on /v1 routes; "" or absent: no auth. */
  readonly authToken?: string;
  /**
   * Traffic split, e.g. "din=3:90,4:10;pooling=1:100". Default "" (newest version). A model's
   * `<registry>/<model>/routing.json` replaces its entry.
   */
  readonly trafficSplit?: string;
  /** Candidate rows scored in shadow at once; beyond it a request is not shadowed. Default 4096 (SEQLANE_SHADOW_MAX_ROWS). */
  readonly shadowMaxRows?: number;
  /** Where sequences are read (the Redis store in production: see connectScorerRedis). */
  readonly store: Pick<SequenceStore, "read">;
  /** Whether the store answers, for /readyz (e.g. redisStoreCheck); absent: not checked. */
  readonly storeCheck?: StoreCheck;
  /** Item catalog; default an empty one (fill it with `followItemsTopic` or `set`). */
  readonly catalog?: ItemCatalog;
  /** Prediction log sink; absent: predictions are not logged. */
  readonly predictionSink?: PredictionSink;
  /** Prediction log buffer bound (rows). Default 100000. */
  readonly predictionBufferRows?: number;
  /** Prediction log flush interval (ms). Default 200. */
  readonly predictionFlushMs?: number;
  /** How long a replaced model version stays open (ms). Default 30000. */
  readonly releaseGraceMs?: number;
  /** Default: a JSON-lines logger at info. */
  readonly logger?: ScorerLogger;
}

const D = defaults(scorerSpec);

/** The options with every default applied: what createScorer's collaborators take. */
export type ResolvedOptions = Required<Omit<ScorerOptions, "catalog" | "predictionSink" | "logger" | "storeCheck">> &
  Pick<ScorerOptions, "catalog" | "predictionSink" | "storeCheck"> & { readonly logger: ScorerLogger };

export function resolveOptions(o: ScorerOptions, logger: ScorerLogger): ResolvedOptions {
  return {
    host: o.host ?? D.host,
    port: o.port ?? D.port,
    registryDir: o.registryDir,
    registryPollMs: o.registryPollMs ?? D.registryPollMs,
    defaultModel: o.defaultModel ?? D.defaultModel,
    session: o.session ?? {},
    batching: o.batching ?? { maxRows: D.maxBatchRows, maxWaitMs: D.maxBatchWaitMs, enabled: D.microBatching },
    maxQueuedRows: o.maxQueuedRows ?? D.maxQueuedRows,
    maxCandidates: o.maxCandidates ?? D.maxCandidates,
    maxBodyBytes: o.maxBodyBytes ?? D.maxBodyBytes,
    maxInflightBytes: o.maxInflightBytes ?? D.maxInflightBytes,
    bodyTimeoutMs: o.bodyTimeoutMs ?? D.bodyTimeoutMs,
    requestTimeoutMs: o.requestTimeoutMs ?? D.requestTimeoutMs,
    authToken: o.authToken ?? D.authToken,
    trafficSplit: o.trafficSplit ?? D.trafficSplit,
    shadowMaxRows: o.shadowMaxRows ?? D.shadowMaxRows,
    store: o.store,
    catalog: o.catalog,
    predictionSink: o.predictionSink,
    storeCheck: o.storeCheck,
    predictionBufferRows: o.predictionBufferRows ?? D.predictionBufferRows,
    predictionFlushMs: o.predictionFlushMs ?? D.predictionFlushMs,
    releaseGraceMs: o.releaseGraceMs ?? D.releaseGraceMs,
    logger,
  };
}
