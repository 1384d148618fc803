import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { HttpError } from "./errors.js";

/** The bearer-token check of the /v1 routes; without a token every request passes. */
export class BearerAuth {
  private readonly expected: Buffer | undefined;

  /** `token` "" or undefined: no auth. */
  constructor(token: string | undefined) {
    this.expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  }

  get enabled(): boolean {
    return this.expected !== undefined;
  }

  /** Throws 401 unless the request carries the token (compared in constant time). */
  check(req: IncomingMessage): void {
    if (this.expected === undefined) return;
    const got = Buffer.from(req.headers.authorization ?? "");
    if (got.length !== this.expected.length || !timingSafeEqual(got, this.expected))
      throw new HttpError(401, "unauthorized", "authorization: a valid Bearer token is required", "authorization");
  }
}
