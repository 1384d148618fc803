import type { IncomingMessage, ServerResponse } from "node:http";
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Histogram,
} from "@opentelemetry/api";
import type { ScorerLogger } from "../options.js";

const tracer = trace.getTracer("@seqlane/scorer");

export interface RequestObserverOptions {
  readonly logger: ScorerLogger;
  /** Latency of the paths in `timedPaths`, by `outcome` (answered, aborted) and `status`. */
  readonly duration: Pick<Histogram, "record">;
  readonly timedPaths: ReadonlySet<string>;
}

/**
 * A span per request (continuing the caller's W3C trace, so one trace runs from the
 * application through scoring, the prediction log and the recorder's insert) and the
 * request's outcome, settled when the response closes: answered (with its status) or aborted
 * (the client left before any answer, which is neither a 500 nor worth an error line).
 */
export class RequestObserver {
  constructor(private readonly o: RequestObserverOptions) {}

  /** Runs `handle` inside the request's span. */
  observe(req: IncomingMessage, res: ServerResponse, handle: () => Promise<void>): Promise<void> {
    const t0 = performance.now();
    const path = (req.url ?? "/").split("?")[0]!;
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(`${req.method} ${path}`, { kind: SpanKind.SERVER }, parent);
    res.once("close", () => {
      const answered = res.headersSent;
      if (answered) {
        span.setAttribute("http.response.status_code", res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      } else {
        span.addEvent("client aborted");
        (this.o.logger.debug ?? this.o.logger.info).call(
          this.o.logger,
          "client closed the connection before the answer",
          {
            method: req.method,
            path,
          },
        );
      }
      span.end();
      if (this.o.timedPaths.has(path))
        this.o.duration.record(
          (performance.now() - t0) / 1000,
          answered ? { outcome: "answered", status: String(res.statusCode) } : { outcome: "aborted" },
        );
    });
    return context.with(trace.setSpan(parent, span), handle);
  }
}
