import type { IncomingMessage } from "node:http";
import { ClientAbortError, HttpError, ValidationError } from "./errors.js";
import type { LoadShedder } from "./load-shedder.js";

export interface BodyReaderOptions {
  /** Largest body (bytes): 413 beyond it, from Content-Length before reading or while reading. */
  readonly maxBodyBytes: number;
  /** The body must have arrived this long after the headers: 408 after it. */
  readonly bodyTimeoutMs: number;
  /** Where body bytes are reserved while they arrive (503 beyond its bound). */
  readonly budget: Pick<LoadShedder, "reserveBytes" | "releaseBytes">;
}

/** The body's declared size, or undefined when it is chunked (or absent). */
export function declaredLength(req: IncomingMessage): number | undefined {
  const raw = req.headers["content-length"];
  return raw === undefined ? undefined : Number(raw);
}

/** Whether the request says its body is JSON (`application/json`, any parameters, any case). */
export function isJson(req: IncomingMessage): boolean {
  const type = req.headers["content-type"];
  return type !== undefined && type.split(";", 1)[0]!.trim().toLowerCase() === "application/json";
}

/**
 * Reads JSON request bodies within bounds: media type (415), size (413), bytes in flight across
 * all requests (503), time (408), and a client that leaves half way (ClientAbortError). Reads
 * chunk by chunk with listeners, not `for await`: leaving an async iterator destroys the
 * socket, which is what turned an oversized chunked body into a connection reset.
 */
export class BodyReader {
  constructor(private readonly o: BodyReaderOptions) {}

  /** Refuses what the headers already tell, before anything is read: media type, declared size. */
  precheck(req: IncomingMessage): void {
    // A web page can POST text/plain or a form cross-origin without a CORS preflight: refuse those.
    if (!isJson(req))
      throw new HttpError(415, "unsupported_media_type", "content-type: must be application/json", "content-type");
    const declared = declaredLength(req);
    if (declared !== undefined && declared > this.o.maxBodyBytes)
      throw new HttpError(
        413,
        "body_too_large",
        `body: ${declared} bytes exceeds the limit of ${this.o.maxBodyBytes}`,
        "(body)",
      );
  }

  /** precheck, then reads and parses the body; its bytes count against the budget while it arrives. */
  async readJson(req: IncomingMessage): Promise<unknown> {
    this.precheck(req);
    const declared = declaredLength(req);
    let reserved = 0;
    // A declared body reserves its whole size up front, so a slow client cannot hold memory it
    // was not granted; a chunked one reserves as its chunks arrive.
    if (declared !== undefined) {
      this.o.budget.reserveBytes(declared);
      reserved = declared;
    }
    try {
      const body = await this.read(req, (n) => {
        if (declared !== undefined) return;
        this.o.budget.reserveBytes(n);
        reserved += n;
      });
      return parseJson(body);
    } finally {
      this.o.budget.releaseBytes(reserved);
    }
  }

  private read(req: IncomingMessage, reserve: (n: number) => void): Promise<Buffer> {
    const { maxBodyBytes, bodyTimeoutMs } = this.o;
    return new Promise((resolve, reject) => {
      if (req.destroyed) return reject(new ClientAbortError());
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void => {
        clearTimeout(timer);
        req.off("data", onData);
        req.off("end", onEnd);
        req.off("error", onAbort);
        req.off("close", onClose);
      };
      const fail = (e: HttpError): void => {
        done();
        req.pause(); // what is left is drained or dropped by whoever answers
        reject(e);
      };
      const onData = (chunk: Buffer): void => {
        size += chunk.length;
        if (size > maxBodyBytes)
          return fail(
            new HttpError(
              413,
              "body_too_large",
              `body: exceeds the limit of ${maxBodyBytes} bytes`,
              "(body)",
              undefined,
              true,
            ),
          );
        try {
          reserve(chunk.length);
        } catch (e) {
          if (!(e instanceof HttpError)) throw e;
          return fail(new HttpError(e.status, e.code, e.message, e.field, e.retryAfterS, true));
        }
        chunks.push(chunk);
      };
      const onEnd = (): void => {
        done();
        resolve(Buffer.concat(chunks, size));
      };
      const onAbort = (): void => fail(new ClientAbortError());
      const onClose = (): void => {
        if (!req.complete) fail(new ClientAbortError());
      };
      const timer = setTimeout(
        () =>
          fail(
            new HttpError(
              408,
              "body_timeout",
              `body: not received within ${bodyTimeoutMs} ms`,
              "(body)",
              undefined,
              true,
            ),
          ),
        bodyTimeoutMs,
      );
      req.on("data", onData);
      req.once("end", onEnd);
      req.once("error", onAbort);
      req.once("close", onClose);
    });
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (e) {
    // V8's message quotes the text around the error: keep only where it is, never client text.
    const at = e instanceof Error ? /at position (\d+)/.exec(e.message)?.[1] : undefined;
    throw new ValidationError("(body)", `must be valid JSON${at === undefined ? "" : ` (error at position ${at})`}`);
  }
}
