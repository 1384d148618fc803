import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@clickhouse/client";
import { runDemo, type DemoResult } from "@seqlane/cli";
import { startTelemetry, type Telemetry } from "@seqlane/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A short run of the real demo on the local stack (npm run stack:up): every stage in one
// process, then checks of what landed in ClickHouse and of the trace links.
const ch = createClient({ url: process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123" });
const rows = async <T>(query: string): Promise<T[]> =>
  (await (await ch.query({ query, format: "JSONEachRow" })).json()) as T[];

let tel: Telemetry;
let run: DemoResult;

beforeAll(async () => {
  process.env.SEQLANE_MODEL_REGISTRY = join(mkdtempSync(join(tmpdir(), "e2e-registry-")), "models");
  tel = startTelemetry({ serviceName: "e2e", memory: true, env: {} });
  run = await runDemo(
    {
      minutes: 0.4,
      rate: 60,
      requestRate: 6,
      models: [],
      candidates: 12,
      users: 300,
      seed: 3,
      reportDir: mkdtempSync(join(tmpdir(), "e2e-report-")),
    },
    { telemetry: tel },
  );
}, 300_000);

afterAll(async () => {
  await tel?.shutdown();
  await ch.close();
});

describe("seqlane demo end to end", () => {
  it("scores requests for every model without failures", () => {
    expect(run.code).toBe(0);
    expect(run.models.length).toBeGreaterThanOrEqual(2);
    expect(run.requests).toBeGreaterThan(20);
    expect(run.requestErrors).toBe(0);
  });

  it("records every produced event in ClickHouse exactly once", async () => {
    const [r] = await rows<{ n: string; ids: string }>(
      `SELECT count() AS n, uniqExact(event_id) AS ids FROM seqlane.events FINAL WHERE startsWith(event_id, '${run.runId}')`,
    );
    expect(Number(r?.ids)).toBe(run.eventIds.size);
    expect(Number(r?.n)).toBe(run.eventIds.size);
  });

  it("labels every prediction once its windows have closed", async () => {
    const [p] = await rows<{ n: string }>(
      `SELECT count() AS n FROM seqlane.predictions FINAL WHERE startsWith(request_id, '${run.runId}')`,
    );
    const [o] = await rows<{ n: string; clicks: string }>(
      `SELECT count() AS n, sum(click) AS clicks FROM seqlane.outcomes FINAL WHERE startsWith(request_id, '${run.runId}')`,
    );
    expect(Number(p?.n)).toBeGreaterThan(0);
    expect(Number(o?.n)).toBe(Number(p?.n));
    expect(Number(o?.clicks)).toBeGreaterThan(0);
  });

  it("writes evaluation rows for each model", async () => {
    const got = await rows<{ model: string }>(
      `SELECT DISTINCT model FROM seqlane.model_eval FINAL WHERE day = today() AND task = 'ctr'`,
    );
    for (const m of run.models) expect(got.map((g) => g.model)).toContain(m);
  });

  it("links one trace from the request through the prediction log to the recorder's insert", async () => {
    await tel.flush();
    const spans = tel.spans?.getFinishedSpans() ?? [];
    const requests = spans.filter((s) => s.name === "demo.request");
    const scored = spans.filter((s) => s.name === "POST /v1/score");
    const inserts = spans.filter((s) => s.name === "insert predictions");
    // The scorer continued the caller's trace...
    const requestIds = new Set(requests.map((s) => s.spanContext().spanId));
    const continued = scored.filter((s) => requestIds.has(s.parentSpanContext?.spanId ?? ""));
    expect(continued.length).toBeGreaterThan(0);
    // ...and the recorder's insert links back to those traces through the Kafka headers.
    const scoredTraces = new Set(continued.map((s) => s.spanContext().traceId));
    const linked = inserts.flatMap((s) => s.links.map((l) => l.context.traceId)).filter((t) => scoredTraces.has(t));
    expect(linked.length).toBeGreaterThan(0);
  });
});
