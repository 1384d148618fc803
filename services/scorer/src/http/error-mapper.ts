import type { IncomingMessage, ServerResponse } from "node:http";
import { trace } from "@opentelemetry/api";
import { InferenceError, type Logger } from "@seqlane/models";
import { StoreUnavailableError } from "@seqlane/sequences";
import { declaredLength } from "./body.js";
import { ClientAbortError, HttpError } from "./errors.js";
import { sendJson, sendJsonAndClose } from "./respond.js";

export interface ErrorMapperOptions {
  readonly logger: Logger;
  /** A body declared larger than this, or of unknown size, is not read on for keep-alive. */
  readonly maxBodyBytes: number;
}

/**
 * Error -> answer, in one place: status and `{error:{code, message, field?}}` body, the
 * headers that go with them (Retry-After, WWW-Authenticate, Connection: close), what is logged
 * and what the request's span records. Errors of the libraries map by type, never by message.
 */
export class ErrorMapper {
  constructor(private readonly o: ErrorMapperOptions) {}

  /** The HTTP error an error is answered with. */
  toHttpError(e: unknown): HttpError {
    if (e instanceof HttpError) return e;
    if (e instanceof InferenceError) return new HttpError(503, "inference_failed", e.message, undefined, 1);
    if (e instanceof StoreUnavailableError)
      return new HttpError(503, "store_unavailable", "sequence store (Redis) unavailable; retry later", undefined, 1);
    return new HttpError(500, "internal", "internal error");
  }

  /** The headers of an error answer. */
  headers(e: HttpError): Record<string, string> {
    const headers: Record<string, string> = {};
    if (e.retryAfterS !== undefined) headers["retry-after"] = String(e.retryAfterS);
    if (e.status === 401) headers["www-authenticate"] = 'Bearer realm="seqlane"';
    return headers;
  }

  /**
   * Answers a failed request. Nothing is sent to a client that left (the request's observer
   * counts it as aborted) or once an answer is on its way. Our own failures are logged (the
   * client's mistakes are not) and recorded on the active span.
   */
  respond(req: IncomingMessage, res: ServerResponse, e: unknown): void {
    if (e instanceof ClientAbortError || res.destroyed) return;
    const err = this.toHttpError(e);
    if (!(e instanceof HttpError)) {
      const fields = { url: req.url, error: e instanceof Error ? e.message : String(e) };
      if (err.status >= 500 && err.retryAfterS === undefined) this.o.logger.error("request failed", fields);
      else this.o.logger.warn("request refused", { ...fields, code: err.code });
      trace.getActiveSpan()?.recordException(e instanceof Error ? e : String(e));
    }
    if (res.headersSent) return;
    if (this.mustClose(req, err)) sendJsonAndClose(req, res, err.status, err.toJSON(), this.headers(err));
    else sendJson(res, err.status, err.toJSON(), this.headers(err));
  }

  /**
   * Whether the connection must close after the answer: some of the body is unread and it is
   * not a small declared one that node:http can read off and drop for the next request.
   */
  private mustClose(req: IncomingMessage, err: HttpError): boolean {
    if (req.complete) return false;
    const declared = declaredLength(req);
    return err.closeConnection || declared === undefined || declared > this.o.maxBodyBytes;
  }
}
