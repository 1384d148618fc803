import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { consoleLogger, ModelRegistry } from "@seqlane/models";
import { ItemCatalog } from "./catalog/catalog.js";
import { BearerAuth } from "./http/auth.js";
import { BodyReader } from "./http/body.js";
import { ErrorMapper } from "./http/error-mapper.js";
import { LoadShedder } from "./http/load-shedder.js";
import { RequestObserver } from "./http/observe.js";
import { route } from "./http/router.js";
import { Timeouts } from "./http/timeouts.js";
import { scorerMetrics } from "./metrics.js";
import { resolveOptions, type ScorerOptions } from "./options.js";
import { PredictionLog } from "./predictions/log.js";
import { healthRoute, readyRoute } from "./routes/health.js";
import { modelsRoute } from "./routes/models.js";
import { scoreRoute } from "./routes/score.js";
import { parseSplit } from "./routing/split.js";
import type { ScoreDeps } from "./score/score.js";
import { ShadowScorer } from "./score/shadow.js";

export interface Scorer {
  readonly registry: ModelRegistry;
  readonly catalog: ItemCatalog;
  readonly predictions: PredictionLog | undefined;
  /** Shadow scoring after responses (its in-flight rows). */
  readonly shadow: ShadowScorer;
  /** Candidate rows admitted and not yet answered (the load-shedding measure). */
  readonly admittedRows: number;
  /** Request-body bytes reserved by bodies being received (bounded by `maxInflightBytes`). */
  readonly inflightBytes: number;
  /** Loads the registry (first scan) and starts listening; resolves to the base URL. */
  start(): Promise<string>;
  /** Stops listening, flushes predictions, releases models. */
  close(): Promise<void>;
}

/**
 * Builds the scorer (HTTP API, registry, catalog, prediction log) without reading env: testable.
 * It only wires: each HTTP concern is a collaborator in src/http (auth, load shedding,
 * timeouts, body reading, error mapping, request observation), each route one in src/routes.
 */
export function createScorer(options: ScorerOptions): Scorer {
  const o = resolveOptions(options, options.logger ?? consoleLogger);
  const { logger } = o;
  const registry = new ModelRegistry({
    dir: o.registryDir,
    pollMs: o.registryPollMs,
    session: o.session,
    batching: o.batching,
    releaseGraceMs: o.releaseGraceMs,
    logger,
  });
  const catalog = o.catalog ?? new ItemCatalog();
  const predictions = o.predictionSink
    ? new PredictionLog(o.predictionSink, { maxRows: o.predictionBufferRows, flushMs: o.predictionFlushMs }, logger)
    : undefined;
  const split = parseSplit(o.trafficSplit);
  const score: ScoreDeps = { registry, store: o.store, catalog, predictions, split, defaultModel: o.defaultModel };
  const metrics = scorerMetrics();
  const shadow = new ShadowScorer({ maxRows: o.shadowMaxRows, predictions, logger });

  const auth = new BearerAuth(o.authToken);
  const shedder = new LoadShedder({
    maxQueuedRows: o.maxQueuedRows,
    maxInflightBytes: o.maxInflightBytes,
    // Shadow rows queue on the same versions' batchers, but must never get a request refused.
    pendingRows: () => Math.max(0, registry.pendingRows - shadow.inflightRows),
    shed: metrics.shed,
  });
  const timeouts = new Timeouts({ requestTimeoutMs: o.requestTimeoutMs, bodyTimeoutMs: o.bodyTimeoutMs });
  const body = new BodyReader({ maxBodyBytes: o.maxBodyBytes, bodyTimeoutMs: o.bodyTimeoutMs, budget: shedder });
  const errors = new ErrorMapper({ logger, maxBodyBytes: o.maxBodyBytes });
  const observer = new RequestObserver({ logger, duration: metrics.duration, timedPaths: new Set(["/v1/score"]) });
  const handler = route({
    "GET /healthz": healthRoute,
    "GET /readyz": readyRoute(registry, o.storeCheck),
    "GET /v1/models": modelsRoute(auth, registry, split),
    "POST /v1/score": scoreRoute({
      auth,
      body,
      shedder,
      timeouts,
      maxCandidates: o.maxCandidates,
      score,
      shadow,
      candidates: metrics.candidates,
    }),
  });

  const server: Server = createServer(timeouts.serverOptions(), (req, res) => {
    observer
      .observe(req, res, async () => {
        try {
          await handler(req, res);
        } catch (e) {
          errors.respond(req, res, e);
        }
      })
      .catch((e: unknown) => {
        // Only a fault of the error path itself lands here; the process must not die of it.
        logger.error("answering failed", { url: req.url, error: e instanceof Error ? e.message : String(e) });
        res.destroy();
      });
  });

  return {
    registry,
    catalog,
    predictions,
    shadow,
    get admittedRows() {
      return shedder.admittedRows;
    },
    get inflightBytes() {
      return shedder.inflightBytes;
    },
    async start() {
      await registry.start();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(o.port, o.host, () => resolve());
      });
      const addr = server.address() as AddressInfo;
      logger.info("scorer listening", { host: addr.address, port: addr.port, models: registry.names() });
      return `http://${addr.address}:${addr.port}`;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await predictions?.close();
      await registry.close();
    },
  };
}
