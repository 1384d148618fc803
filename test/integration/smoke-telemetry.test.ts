import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startTelemetry } from "@seqlane/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A minimal OTLP/HTTP receiver: records which signal paths were posted and their body sizes.
let server: Server;
const received: { path: string; bytes: number }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let bytes = 0;
    req.on("data", (c: Buffer) => (bytes += c.length));
    req.on("end", () => {
      received.push({ path: req.url ?? "", bytes });
      res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("libs/telemetry exports through the standard OTEL_* variables", () => {
  it("sends a span and a metric to the OTLP endpoint", async () => {
    const { port } = server.address() as AddressInfo;
    const tel = startTelemetry({
      serviceName: "smoke",
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_METRIC_EXPORT_INTERVAL: "60000" },
    });
    tel.tracer.startActiveSpan("smoke-span", (span) => span.end());
    tel.meter.createCounter("smoke.counter").add(1);
    await tel.shutdown(); // flushes both signals
    const paths = received.filter((r) => r.bytes > 0).map((r) => r.path);
    expect(paths).toContain("/v1/traces");
    expect(paths).toContain("/v1/metrics");
  });
});
