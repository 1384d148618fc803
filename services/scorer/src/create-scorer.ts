import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from "@opentelemetry/api";
import { consoleLogger, InferenceError, ModelRegistry } from "@seqlane/models";
import { StoreUnavailableError } from "@seqlane/sequences";
import { ItemCatalog } from "./catalog/catalog.js";
import { readJson } from "./http/body.js";
import { HttpError } from "./http/errors.js";
import { route, sendError, sendJson } from "./http/router.js";
import { scorerMetrics } from "./metrics.js";
import type { ScorerOptions } from "./options.js";
import { PredictionLog } from "./predictions/log.js";
import { parseScoreRequest } from "./request/parse.js";
import { parseSplit } from "./routing/split.js";
import { scoreRequest, type ScoreDeps } from "./score/score.js";

export interface Scorer {
  readonly registry: ModelRegistry;
  readonly catalog: ItemCatalog;
  readonly predictions: PredictionLog | undefined;
  /** Candidate rows admitted and not yet answered (the load-shedding measure). */
  readonly admittedRows: number;
  /** Loads the registry (first scan) and starts listening; resolves to the base URL. */
  start(): Promise<string>;
  /** Stops listening, flushes predictions, releases models. */
  close(): Promise<void>;
}

const tracer = trace.getTracer("@seqlane/scorer");

/** Builds the scorer (HTTP API, registry, catalog, prediction log) without reading env: testable. */
export function createScorer(options: ScorerOptions): Scorer {
  const logger = options.logger ?? consoleLogger;
  const maxQueuedRows = options.maxQueuedRows ?? 50_000;
  const maxCandidates = options.maxCandidates ?? 1000;
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const timeoutMs = options.requestTimeoutMs ?? 1000;
  const auth = options.authToken ? `Bearer ${options.authToken}` : undefined;
  const registry = new ModelRegistry({
    dir: options.registryDir,
    pollMs: options.registryPollMs ?? 2000,
    session: options.session ?? {},
    batching: options.batching ?? { maxRows: 2048, maxWaitMs: 2, enabled: true },
    releaseGraceMs: options.releaseGraceMs ?? 30_000,
    logger,
  });
  const catalog = options.catalog ?? new ItemCatalog();
  const predictions = options.predictionSink
    ? new PredictionLog(
        options.predictionSink,
        { maxRows: options.predictionBufferRows ?? 100_000, flushMs: options.predictionFlushMs ?? 200 },
        logger,
      )
    : undefined;
  const deps: ScoreDeps = {
    registry,
    store: options.store,
    catalog,
    predictions,
    split: parseSplit(options.trafficSplit ?? ""),
    defaultModel: options.defaultModel ?? "",
  };
  const metrics = scorerMetrics();
  let admitted = 0;

  const checkAuth = (req: IncomingMessage) => {
    if (auth !== undefined && req.headers.authorization !== auth)
      throw new HttpError(401, "unauthorized", "authorization: a valid Bearer token is required", "authorization");
  };
  const shed = (rows: number) => {
    // Rows of timed-out requests leave `admitted` but may still sit in a batcher: count those too.
    const queued = Math.max(admitted, registry.pendingRows);
    if (queued + rows > maxQueuedRows) {
      metrics.shed.add(1);
      throw new HttpError(
        503,
        "overloaded",
        `queue holds ${queued} candidate rows (limit ${maxQueuedRows}); retry later`,
        undefined,
        1,
      );
    }
  };

  const handler = route({
    "GET /healthz": async (_req, res) => sendJson(res, 200, { status: "ok" }),
    "GET /readyz": async (_req, res) =>
      registry.ready
        ? sendJson(res, 200, { status: "ready", models: registry.names() })
        : sendJson(res, 503, { status: "not_ready", failures: registry.failures() }),
    "GET /v1/models": async (req, res) => {
      checkAuth(req);
      sendJson(res, 200, {
        models: registry.names().map((name) => ({
          name,
          newest: registry.get(name)?.version,
          split: deps.split.get(name) ?? null,
          versions: registry.versions(name).map((m) => ({
            version: m.version,
            provider: m.provider,
            family: m.manifest.family,
            architecture: m.manifest.architecture,
            tasks: m.manifest.tasks,
            loaded_at: new Date(m.loadedAt).toISOString(),
            pending_rows: m.pendingRows,
            batch_rows: m.batchRows,
          })),
        })),
        failures: registry.failures(),
      });
    },
    "POST /v1/score": async (req, res) => {
      checkAuth(req);
      shed(1); // refuse before reading the body when already full
      const body = await readJson(req, maxBodyBytes);
      const request = parseScoreRequest(body, maxCandidates);
      const rows = request.candidates.length;
      shed(rows);
      admitted += rows;
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new HttpError(504, "timeout", `scoring took longer than ${timeoutMs} ms`)),
            timeoutMs,
          );
        });
        const response = await Promise.race([scoreRequest(request, deps), timeout]);
        metrics.candidates.add(rows, { model: response.model, version: response.version });
        sendJson(res, 200, response);
      } finally {
        clearTimeout(timer);
        admitted -= rows;
      }
    },
  });

  const server: Server = createServer((req, res) => {
    const t0 = performance.now();
    // Continue the caller's trace (W3C traceparent header), so one trace runs from the
    // application through scoring, the prediction log and the recorder's insert.
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(`${req.method} ${(req.url ?? "/").split("?")[0]}`, { kind: SpanKind.SERVER }, parent);
    context
      .with(trace.setSpan(parent, span), () => handler(req, res))
      .catch((e: unknown) => {
        const err =
          e instanceof HttpError
            ? e
            : e instanceof InferenceError
              ? new HttpError(503, "inference_failed", e.message, undefined, 1)
              : e instanceof StoreUnavailableError
                ? new HttpError(
                    503,
                    "store_unavailable",
                    "sequence store (Redis) unavailable; retry later",
                    undefined,
                    1,
                  )
                : new HttpError(500, "internal", "internal error");
        if (!(e instanceof HttpError)) {
          logger.error("request failed", { url: req.url, error: e instanceof Error ? e.message : String(e) });
          span.recordException(e as Error);
        }
        if (!res.headersSent) sendError(res, err);
      })
      .finally(() => {
        span.setAttribute("http.response.status_code", res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        if (req.url?.startsWith("/v1/score"))
          metrics.duration.record((performance.now() - t0) / 1000, { status: String(res.statusCode) });
      });
  });
  server.keepAliveTimeout = 65_000;

  return {
    registry,
    catalog,
    predictions,
    get admittedRows() {
      return admitted;
    },
    async start() {
      await registry.start();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 8080, options.host ?? "127.0.0.1", () => resolve());
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
