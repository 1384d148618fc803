import type { ServerOptions } from "node:http";
import { HttpError } from "./errors.js";

export interface TimeoutOptions {
  /** Scoring a request (store read, inference) longer than this answers 504. */
  readonly requestTimeoutMs: number;
  /** The headers, and then the body, of a request must each arrive within this. */
  readonly bodyTimeoutMs: number;
  /** Idle keep-alive connections close after this (above typical load balancers' 60 s). */
  readonly keepAliveTimeoutMs?: number;
}

/**
 * Every timeout of the HTTP layer in one place. Node's defaults let a slow client hold a
 * connection (and a body buffer) for 300 s; here headers get `bodyTimeoutMs` (node:http answers
 * 408 and closes), the body gets `bodyTimeoutMs` from the end of the headers (the body reader
 * answers 408), and node:http's whole-request timeout backs both up.
 */
export class Timeouts {
  constructor(readonly o: TimeoutOptions) {}

  get bodyTimeoutMs(): number {
    return this.o.bodyTimeoutMs;
  }

  /** Options for `http.createServer`. */
  serverOptions(): ServerOptions {
    const body = this.o.bodyTimeoutMs;
    return {
      headersTimeout: body,
      // Headers plus body: only a backstop, the body reader's own timer answers first.
      requestTimeout: 2 * body + 1000,
      // node:http checks both timeouts on this interval (default 30 s, which would stretch them).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(body / 4))),
      keepAliveTimeout: this.o.keepAliveTimeoutMs ?? 65_000,
    };
  }

  /** `work`, or 504 once it takes longer than the request timeout (the work itself runs on). */
  async deadline<T>(work: Promise<T>): Promise<T> {
    const ms = this.o.requestTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HttpError(504, "timeout", `scoring took longer than ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
