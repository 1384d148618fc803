import { afterEach, describe, expect, it } from "vitest";
import { BodyReader } from "../../src/http/body.js";
import { ClientAbortError, HttpError, ValidationError } from "../../src/http/errors.js";
import { LoadShedder } from "../../src/http/load-shedder.js";
import { rawExchange, serve } from "../helpers/server.js";

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

/** A server whose only job is `readJson`; `next()` is the outcome of the next request. */
async function reader(maxBodyBytes = 1024, maxInflightBytes = 1 << 20, bodyTimeoutMs = 1000) {
  const budget = new LoadShedder({ maxQueuedRows: 1, maxInflightBytes, pendingRows: () => 0 });
  const body = new BodyReader({ maxBodyBytes, bodyTimeoutMs, budget });
  const outcomes: ((v: unknown) => void)[] = [];
  const waiting: Promise<unknown>[] = [];
  const next = () => {
    const p = new Promise<unknown>((r) => outcomes.push(r));
    waiting.push(p);
    return p;
  };
  const srv = await serve(async (req, res) => {
    const settle = outcomes.shift()!;
    try {
      settle({ value: await body.readJson(req) });
    } catch (e) {
      settle(e);
    }
    res.destroy();
  });
  closeServer = srv.close;
  return { url: srv.url, next, budget };
}

const head = (url: string, length: number | undefined, type = "application/json") =>
  `POST / HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: ${type}\r\n` +
  (length === undefined ? "Transfer-Encoding: chunked\r\n\r\n" : `Content-Length: ${length}\r\n\r\n`);
const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;

describe("BodyReader", () => {
  it("reads a declared or chunked JSON body; the bytes it reserved are released", async () => {
    const { url, next, budget } = await reader();
    const a = next();
    await rawExchange(url, [head(url, 9), '{"a":[1]}']);
    expect(await a).toEqual({ value: { a: [1] } });
    const b = next();
    await rawExchange(url, [head(url, undefined), chunk('{"b":'), chunk("2}"), "0\r\n\r\n"]);
    expect(await b).toEqual({ value: { b: 2 } });
    expect(budget.inflightBytes).toBe(0);
  });

  it("415 unless Content-Type is application/json (any case, any parameters)", async () => {
    const { url, next } = await reader();
    for (const [type, ok] of [
      ["text/plain", false],
      ["application/x-www-form-urlencoded", false],
      ["application/jsonx", false],
      ["Application/JSON; charset=utf-8", true],
    ] as const) {
      const r = next();
      await rawExchange(url, [head(url, 2, type), "{}"]);
      if (ok) expect(await r).toEqual({ value: {} });
      else expect(await r, type).toMatchObject({ status: 415, code: "unsupported_media_type", field: "content-type" });
    }
  });

  it("413 from Content-Length before reading, and while reading a chunked body (connection to close)", async () => {
    const { url, next, budget } = await reader(16);
    const declared = next();
    await rawExchange(url, [head(url, 17), "x".repeat(17)]);
    expect(await declared).toMatchObject({ status: 413, code: "body_too_large", closeConnection: false });
    const chunked = next();
    await rawExchange(url, [head(url, undefined), chunk("x".repeat(10)), chunk("x".repeat(10))], 20);
    expect(await chunked).toMatchObject({ status: 413, code: "body_too_large", closeConnection: true });
    expect(budget.inflightBytes).toBe(0);
  });

  it("503 when the bytes in flight would pass the budget: up front when declared, per chunk when not", async () => {
    const { url, next, budget } = await reader(1024, 100);
    budget.reserveBytes(60);
    const declared = next();
    await rawExchange(url, [head(url, 50), "x".repeat(50)]);
    expect(await declared).toMatchObject({ status: 503, code: "overloaded", retryAfterS: 1 });
    const chunked = next();
    await rawExchange(url, [head(url, undefined), chunk("x".repeat(30)), chunk("x".repeat(30))], 20);
    expect(await chunked).toMatchObject({ status: 503, closeConnection: true });
    expect(budget.inflightBytes).toBe(60);
  });

  it("408 when the body does not arrive in time; ClientAbortError when the client leaves", async () => {
    const { url, next, budget } = await reader(1024, 1 << 20, 150);
    const slow = next();
    void rawExchange(url, [head(url, 10), "x"]);
    expect(await slow).toMatchObject({ status: 408, code: "body_timeout", closeConnection: true });
    const left = next();
    await rawExchange(url, [head(url, 10), "x"], 0, true);
    expect(await left).toBeInstanceOf(ClientAbortError);
    expect(budget.inflightBytes).toBe(0);
  });

  it("invalid JSON is a 400 on (body) that says where, not what", async () => {
    const { url, next } = await reader();
    const r = next();
    const text = '{"a":"secret-looking-value" oops}';
    await rawExchange(url, [head(url, text.length), text]);
    const e = (await r) as HttpError;
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.field).toBe("(body)");
    expect(e.message).toMatch(/^\(body\): must be valid JSON/);
    expect(e.message).not.toContain("secret");
  });
});
