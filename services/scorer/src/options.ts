import type { BatcherOptions, Logger, SessionConfig } from "@seqlane/models";
import type { SequenceStore } from "@seqlane/sequences";
import type { ItemCatalog } from "./catalog/catalog.js";
import type { PredictionSink } from "./predictions/log.js";

/** Everything createScorer needs; main.ts fills it from libs/config, tests directly. */
export interface ScorerOptions {
  /** Listen address. Default "127.0.0.1". */
  readonly host?: string;
  /** Listen port; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Model registry directory. */
  readonly registryDir: string;
  /** Registry poll interval (ms); 0: no polling. Default 2000. */
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
  /** Largest body (bytes). Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Per-request timeout (ms); 504 after it. Default 1000. */
  readonly requestTimeoutMs?: number;
  /** Bearer token required on /v1 routes; "" or absent: no auth. */
  readonly authToken?: string;
  /** Traffic split, e.g. "din=3:90,4:10;pooling=1:100". Default "" (newest version). */
  readonly trafficSplit?: string;
  /** Where sequences are read (the Redis store in production). */
  readonly store: Pick<SequenceStore, "read">;
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
  readonly logger?: Logger;
}
