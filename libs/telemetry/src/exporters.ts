import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { ConsoleMetricExporter, PeriodicExportingMetricReader, type MetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-base";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Which exporters a signal uses, from the standard OTEL_{TRACES,METRICS}_EXPORTER variables.
 * One deliberate difference from the spec's default: when the variable is unset we export
 * over OTLP only if an OTLP endpoint is configured, so a laptop without a collector does not
 * log connection errors forever. Values: otlp, console, none (comma-separated).
 */
export function exporterNames(env: Env, signal: "TRACES" | "METRICS"): string[] {
  const raw = env[`OTEL_${signal}_EXPORTER`];
  if (raw === undefined || raw.trim() === "") {
    const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`];
    return endpoint ? ["otlp"] : [];
  }
  const names = raw
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "");
  return names.includes("none") ? [] : names;
}

/** The OTLP/HTTP URL of a signal, per the spec: the signal's own variable, else base + /v1/<signal>. */
export function otlpUrl(env: Env, signal: "TRACES" | "METRICS"): string | undefined {
  const own = env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]?.trim();
  if (own) return own;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, "")}/v1/${signal.toLowerCase()}` : undefined;
}

export function spanProcessorsFromEnv(env: Env): SpanProcessor[] {
  return exporterNames(env, "TRACES").flatMap((name): SpanProcessor[] => {
    const url = otlpUrl(env, "TRACES");
    if (name === "otlp") return [new BatchSpanProcessor(new OTLPTraceExporter(url ? { url } : {}))];
    if (name === "console") return [new BatchSpanProcessor(new ConsoleSpanExporter())];
    process.emitWarning(
      `OTEL_TRACES_EXPORTER: unsupported exporter ${JSON.stringify(name)} ignored (use otlp, console or none)`,
    );
    return [];
  });
}

export function metricReadersFromEnv(env: Env): MetricReader[] {
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL ?? "60000");
  const exportIntervalMillis = Number.isFinite(interval) && interval > 0 ? interval : 60000;
  return exporterNames(env, "METRICS").flatMap((name): MetricReader[] => {
    const url = otlpUrl(env, "METRICS");
    if (name === "otlp") {
      const exporter = new OTLPMetricExporter(url ? { url } : {});
      return [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis })];
    }
    if (name === "console")
      return [new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), exportIntervalMillis })];
    process.emitWarning(
      `OTEL_METRICS_EXPORTER: unsupported exporter ${JSON.stringify(name)} ignored (use otlp, console or none)`,
    );
    return [];
  });
}
