import type { Attributes } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { RequestObserver } from "../../src/http/observe.js";
import { sendJson } from "../../src/http/respond.js";
import { rawExchange, serve } from "../helpers/server.js";

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

describe("RequestObserver", () => {
  it("records answered requests with their status and aborted ones as aborted (at debug)", async () => {
    const points: Attributes[] = [];
    const debug: string[] = [];
    const observer = new RequestObserver({
      logger: { info() {}, warn() {}, error() {}, debug: (m: string) => void debug.push(m) },
      duration: { record: (_s, attrs) => void points.push(attrs ?? {}) },
      timedPaths: new Set(["/timed"]),
    });
    const srv = await serve((req, res) =>
      observer.observe(req, res, async () => {
        await new Promise((r) => setTimeout(r, req.url === "/timed?slow" ? 200 : 0));
        sendJson(res, 201, {});
      }),
    );
    closeServer = srv.close;
    expect((await fetch(`${srv.url}/timed`)).status).toBe(201);
    expect((await fetch(`${srv.url}/untimed`)).status).toBe(201);
    await rawExchange(srv.url, [`GET /timed?slow HTTP/1.1\r\nHost: x\r\n\r\n`], 0, true);
    await new Promise((r) => setTimeout(r, 300));
    expect(points).toEqual([{ outcome: "answered", status: "201" }, { outcome: "aborted" }]);
    expect(debug).toHaveLength(1);
  });
});
