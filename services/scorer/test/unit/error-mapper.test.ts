import { InferenceError } from "@seqlane/models";
import { StoreUnavailableError } from "@seqlane/sequences";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorMapper } from "../../src/http/error-mapper.js";
import { ClientAbortError, HttpError, ValidationError } from "../../src/http/errors.js";
import { rawExchange, serve } from "../helpers/server.js";

const logged: { level: string; msg: string }[] = [];
const at = (level: string) => (msg: string) => void logged.push({ level, msg });
const mapper = new ErrorMapper({
  logger: { info: at("info"), warn: at("warn"), error: at("error") },
  maxBodyBytes: 64,
});

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
  logged.length = 0;
});

/** A server that answers every request by `mapper.respond(error)`, without reading its body. */
async function failingWith(error: () => unknown): Promise<string> {
  const srv = await serve((req, res) => mapper.respond(req, res, error()));
  closeServer = srv.close;
  return srv.url;
}

describe("ErrorMapper", () => {
  it("maps errors by type: our HttpErrors as they are, library errors to retriable 503s, the rest to 500", () => {
    const v = new ValidationError("user_id", "is required");
    expect(mapper.toHttpError(v)).toBe(v);
    const inference = mapper.toHttpError(new InferenceError("din", "1", 3, new Error("boom")));
    expect([inference.status, inference.code, inference.retryAfterS]).toEqual([503, "inference_failed", 1]);
    const store = mapper.toHttpError(new StoreUnavailableError("read: Command timed out", undefined));
    expect([store.status, store.code, store.retryAfterS, store.message]).toEqual([
      503,
      "store_unavailable",
      1,
      "sequence store (Redis) unavailable; retry later",
    ]);
    const other = mapper.toHttpError(new TypeError("x is undefined"));
    expect([other.status, other.code, other.message]).toEqual([500, "internal", "internal error"]);
  });

  it("headers: Retry-After with every retriable refusal, WWW-Authenticate with 401", () => {
    expect(mapper.headers(new HttpError(503, "overloaded", "m", undefined, 1))).toEqual({ "retry-after": "1" });
    expect(mapper.headers(new HttpError(401, "unauthorized", "m"))).toEqual({
      "www-authenticate": 'Bearer realm="seqlane"',
    });
    expect(mapper.headers(new ValidationError("f", "bad"))).toEqual({});
  });

  it("answers with status, body and headers; logs our failures, not the client's mistakes", async () => {
    let next: unknown;
    const url = await failingWith(() => next);
    for (const [e, status, level] of [
      [new ValidationError("candidates", "is required"), 400, undefined],
      [new StoreUnavailableError("read: ECONNREFUSED", undefined), 503, "warn"],
      [new TypeError("x is undefined"), 500, "error"],
    ] as const) {
      next = e;
      logged.length = 0;
      const res = await fetch(url);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(mapper.toHttpError(e).code);
      expect(logged.map((l) => l.level)).toEqual(level === undefined ? [] : [level]);
    }
  });

  it("sends nothing for a client that left", async () => {
    const url = await failingWith(() => new ClientAbortError());
    const got = await rawExchange(url, [`GET / HTTP/1.1\r\nHost: x\r\n\r\n`], 0, true);
    expect(got).toBe("");
    expect(logged).toEqual([]);
  });

  it("a body left unread: a small declared one keeps the connection, a chunked or oversized one closes it", async () => {
    const url = await failingWith(() => new HttpError(503, "overloaded", "full", undefined, 1));
    const small = await rawExchange(
      url,
      [`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789`],
      0,
      true,
    );
    expect(small).toMatch(/^HTTP\/1.1 503/);
    expect(small.toLowerCase()).not.toContain("connection: close");
    // Chunked: answered at once, connection closed after a short linger even though the client goes on.
    const t0 = performance.now();
    const chunked = await rawExchange(
      url,
      [`POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`, ...Array(40).fill("5\r\nxxxxx\r\n")],
      50,
    );
    expect(chunked).toMatch(/^HTTP\/1.1 503/);
    expect(chunked.toLowerCase()).toContain("connection: close");
    expect(chunked.toLowerCase()).toContain("retry-after: 1");
    expect(performance.now() - t0).toBeLessThan(1800);
  });
});
