import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { metrics, type Meter } from "@opentelemetry/api";
import type { HistogramMetricData } from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it } from "vitest";
import { METRICS, createInstrument, startTelemetry, type MetricKey, type Telemetry } from "../../src/index.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const own = (p: string): string => relative(root, p).replaceAll("\\", "/");
const names = new Set(Object.values(METRICS).map((m) => m.name));

/** Files under `dir` whose name ends in one of `exts`, skipping build output and dependencies. */
function walk(dir: string, exts: readonly string[]): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    if (f === "node_modules" || f === "dist" || f.startsWith(".")) return [];
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return walk(p, exts);
    return exts.some((e) => f.endsWith(e)) ? [p] : [];
  });
}

/** The TypeScript sources of every library and service. */
function sources(sub: "src" | "test"): string[] {
  return ["libs", "services"].flatMap((group) =>
    readdirSync(join(root, group)).flatMap((pkg) => walk(join(root, group, pkg, sub), [".ts"])),
  );
}

/** Places that name metrics for readers: READMEs, docs/ and deploy/. */
function docs(): string[] {
  const readmes = ["libs", "services", "infra"].flatMap((group) =>
    readdirSync(join(root, group)).flatMap((d) => {
      const f = join(root, group, d, "README.md");
      return existsSync(f) ? [f] : [];
    }),
  );
  return [
    join(root, "README.md"),
    ...readmes,
    ...walk(join(root, "docs"), [".md"]),
    ...walk(join(root, "deploy"), [".md", ".yaml", ".yml", ".json"]),
  ];
}

let tel: Telemetry | undefined;
afterEach(async () => {
  await tel?.shutdown();
  tel = undefined;
});

describe("METRICS table", () => {
  it("names are unique, dotted, and carry no unit (OpenTelemetry naming)", () => {
    const all = Object.values(METRICS).map((m) => m.name);
    expect(new Set(all).size).toBe(all.length);
    for (const name of all) {
      expect(name).toMatch(/^seqlane(\.[a-z][a-z0-9_]*)+$/);
      expect(name).not.toMatch(/_(ms|s|sec|seconds|millis|bytes|total|count)$/);
    }
  });

  it("durations are histograms in seconds with second-sized buckets; counts use {annotation} units", () => {
    for (const [key, m] of Object.entries(METRICS)) {
      if (m.name.endsWith(".duration")) {
        expect({ key, kind: m.kind, unit: m.unit }).toEqual({ key, kind: "histogram", unit: "s" });
        expect("buckets" in m && m.buckets[0]! < 0.01).toBe(true);
      } else expect({ key, unit: m.unit }).toEqual({ key, unit: expect.stringMatching(/^\{[a-z_]+\}$/) });
      expect(m.description.length).toBeGreaterThan(0);
    }
  });
});

describe("createInstrument", () => {
  it("creates the table's instrument: name, unit, description and buckets", async () => {
    tel = startTelemetry({ serviceName: "unit-metrics", env: {} });
    createInstrument(tel.meter, "ingestEvents").add(2, { outcome: "applied" });
    createInstrument(tel.meter, "recorderInsertDuration").record(0.003, { table: "events" });
    const got = await tel.collectMetrics();
    const events = got.find((m) => m.descriptor.name === METRICS.ingestEvents.name);
    expect(events?.descriptor).toMatchObject({ unit: "{event}", description: METRICS.ingestEvents.description });
    expect(events?.dataPoints[0]?.value).toBe(2);
    const insert = got.find((m) => m.descriptor.name === "seqlane.recorder.insert.duration") as HistogramMetricData;
    expect(insert.descriptor.unit).toBe("s");
    const point = insert.dataPoints[0]!.value;
    expect(point.buckets.boundaries).toEqual([...METRICS.recorderInsertDuration.buckets]);
    expect(point.sum).toBeCloseTo(0.003);
  });

  it("refuses a name that is not in the table (typed callers cannot even write it)", () => {
    const meter: Meter = metrics.getMeter("unit");
    expect(() => createInstrument(meter, "seqlane.recorder.insert_ms" as unknown as MetricKey)).toThrow(
      /not a key of METRICS/,
    );
  });
});

describe("every metric comes from the table", () => {
  it("no source creates an instrument except through createInstrument", () => {
    const helper = join(root, "libs/telemetry/src/instruments.ts");
    const create =
      /\.create(?:Counter|UpDownCounter|Histogram|Gauge|Observable(?:Counter|UpDownCounter|Gauge))\s*[<(]/g;
    const offenders = sources("src")
      .filter((f) => f !== helper)
      .flatMap((f) => (readFileSync(f, "utf8").match(create) ?? []).map((m) => `${own(f)}: ${m}`));
    expect(offenders).toEqual([]);
  });

  it("every metric name in code, tests, READMEs, docs and deploy/ is a name of the table", () => {
    const table = join(root, "libs/telemetry/src/names.ts");
    const self = fileURLToPath(import.meta.url);
    const literal = /\bseqlane(?:\.[a-z][a-z0-9_]*){2,}/g;
    const unknown = [...sources("src"), ...sources("test"), ...walk(join(root, "test"), [".ts"]), ...docs()]
      .filter((f) => f !== table && f !== self)
      .flatMap((f) =>
        (readFileSync(f, "utf8").match(literal) ?? []).filter((n) => !names.has(n)).map((n) => `${own(f)}: ${n}`),
      );
    expect(unknown).toEqual([]);
  });
});
