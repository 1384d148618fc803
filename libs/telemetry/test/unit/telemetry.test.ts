import { context, trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import {
  exporterNames,
  extractKafkaContext,
  injectKafkaHeaders,
  startTelemetry,
  type Telemetry,
} from "../../src/index.js";

let tel: Telemetry | undefined;
afterEach(async () => {
  await tel?.shutdown();
  tel = undefined;
});

describe("startTelemetry", () => {
  it("records spans with the service resource and summarises their latency", async () => {
    tel = startTelemetry({ serviceName: "unit-svc", serviceVersion: "1.2.3", memory: true, env: {} });
    tel.tracer.startActiveSpan("stage-a", (span) => span.end());
    tel.tracer.startActiveSpan("stage-a", (span) => span.end());
    await tel.flush();
    const spans = tel.spans?.getFinishedSpans() ?? [];
    expect(spans.map((s) => s.name)).toEqual(["stage-a", "stage-a"]);
    expect(spans[0]?.resource.attributes["service.name"]).toBe("unit-svc");
    expect(spans[0]?.resource.attributes["service.version"]).toBe("1.2.3");
    const [summary] = tel.spanSummary();
    expect(summary?.name).toBe("stage-a");
    expect(summary?.count).toBe(2);
  });

  it("exposes metrics in-process without a collector", async () => {
    tel = startTelemetry({ serviceName: "unit-svc", env: {} });
    const counter = tel.meter.createCounter("unit.events");
    counter.add(3, { kind: "a" });
    counter.add(4, { kind: "a" });
    const found = (await tel.collectMetrics()).find((m) => m.descriptor.name === "unit.events");
    expect(found?.dataPoints[0]?.value).toBe(7);
  });

  it("OTEL_SERVICE_NAME overrides the service's own name", async () => {
    tel = startTelemetry({ serviceName: "own", memory: true, env: { OTEL_SERVICE_NAME: "from-env" } });
    tel.tracer.startSpan("x").end();
    await tel.flush();
    expect(tel.spans?.getFinishedSpans()[0]?.resource.attributes["service.name"]).toBe("from-env");
  });

  it("shutdown is idempotent and allows a new start", async () => {
    const first = startTelemetry({ serviceName: "a", env: {} });
    await first.shutdown();
    await first.shutdown();
    tel = startTelemetry({ serviceName: "b", memory: true, env: {} });
    tel.tracer.startSpan("after-restart").end();
    await tel.flush();
    expect(tel.spans?.getFinishedSpans()).toHaveLength(1);
  });
});

describe("kafka header propagation", () => {
  it("carries a span's trace id through message headers", async () => {
    tel = startTelemetry({ serviceName: "prop", memory: true, env: {} });
    const span = tel.tracer.startSpan("produce");
    const headers = injectKafkaHeaders(trace.setSpan(context.active(), span));
    span.end();
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const ctx = extractKafkaContext({ traceparent: Buffer.from(headers.traceparent ?? "") });
    expect(trace.getSpanContext(ctx)?.traceId).toBe(span.spanContext().traceId);
  });

  it("returns the base context when headers carry nothing", () => {
    const ctx = extractKafkaContext({});
    expect(trace.getSpanContext(ctx)).toBeUndefined();
  });
});

describe("exporterNames", () => {
  it("exports nothing by default and otlp when an endpoint is set", () => {
    expect(exporterNames({}, "TRACES")).toEqual([]);
    expect(exporterNames({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }, "TRACES")).toEqual(["otlp"]);
    expect(exporterNames({ OTEL_METRICS_EXPORTER: "console, otlp" }, "METRICS")).toEqual(["console", "otlp"]);
    expect(exporterNames({ OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "x" }, "TRACES")).toEqual([]);
  });
});

describe("kafkaLogCreator", () => {
  it("writes one JSON line per kafkajs entry, without the stack", async () => {
    const { kafkaLogCreator } = await import("../../src/index.js");
    const lines: string[] = [];
    const log = kafkaLogCreator("svc", (l) => lines.push(l))();
    log({
      namespace: "Connection",
      label: "ERROR",
      log: { message: "Connection error: ECONNREFUSED", broker: "b:9092", stack: "Error\n  at x" },
    });
    expect(lines).toHaveLength(1);
    const o = JSON.parse(lines[0]!);
    expect(o).toMatchObject({
      level: "error",
      service: "svc",
      source: "kafkajs.Connection",
      message: "Connection error: ECONNREFUSED",
      broker: "b:9092",
    });
    expect(lines[0]).not.toContain("at x");
  });
});
