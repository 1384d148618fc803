import { hostname } from "node:os";
import { context, metrics, propagation, trace, type Meter, type Tracer } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { MetricData } from "@opentelemetry/sdk-metrics";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { InMemorySpanExporter, SimpleSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { metricReadersFromEnv, spanProcessorsFromEnv } from "./exporters.js";
import { LocalMetricReader } from "./local-reader.js";
import { SpanStatsProcessor, type SpanSummary } from "./span-stats.js";

export interface TelemetryOptions {
  /** `service.name`; OTEL_SERVICE_NAME wins when set. */
  readonly serviceName: string;
  /** `service.version`; default: the package version passed by the service, else "0.0.0". */
  readonly serviceVersion?: string;
  /** Environment to read OTEL_* from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Keep finished spans in memory (tests). Default false. */
  readonly memory?: boolean;
}

export interface Telemetry {
  readonly tracer: Tracer;
  readonly meter: Meter;
  /** Finished spans, when started with `memory: true`. */
  readonly spans: InMemorySpanExporter | undefined;
  /** Current metric values as seen inside this process (no collector needed). */
  collectMetrics(): Promise<MetricData[]>;
  /** Waits until finished spans reached every processor (in-memory ones included). */
  flush(): Promise<void>;
  /** Per span name: count, p50, p99, max in ms. */
  spanSummary(): SpanSummary[];
  /** Flushes exporters and unregisters the global providers. Idempotent; never throws. */
  shutdown(timeoutMs?: number): Promise<void>;
}

/**
 * Starts the OpenTelemetry NodeSDK for a service: traces and metrics, W3C propagation,
 * resource attributes (service name/version/instance plus OTEL_RESOURCE_ATTRIBUTES), exporters
 * from OTEL_* variables, plus in-process readers that the service can query itself.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const env = options.env ?? process.env;
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || options.serviceName;
  const localReader = new LocalMetricReader();
  const stats = new SpanStatsProcessor();
  const memory = options.memory ? new InMemorySpanExporter() : undefined;
  const spanProcessors: SpanProcessor[] = [stats, ...spanProcessorsFromEnv(env)];
  if (memory) spanProcessors.push(new SimpleSpanProcessor(memory));

  const sdk = new NodeSDK({
    serviceName,
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: serviceName,
      [ATTR_SERVICE_VERSION]: options.serviceVersion ?? "0.0.0",
      "service.instance.id": `${hostname()}-${process.pid}`,
    }),
    spanProcessors,
    metricReaders: [localReader, ...metricReadersFromEnv(env)],
    instrumentations: [],
  });
  sdk.start();

  let stopped: Promise<void> | undefined;
  return {
    tracer: trace.getTracer(serviceName),
    meter: metrics.getMeter(serviceName),
    spans: memory,
    async collectMetrics() {
      const { resourceMetrics } = await localReader.collect();
      return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    },
    async flush() {
      await Promise.all(spanProcessors.map((p) => p.forceFlush()));
    },
    spanSummary: () => stats.summary(),
    shutdown(timeoutMs = 5000) {
      stopped ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            sdk.shutdown(),
            new Promise<void>((resolve) => {
              timer = setTimeout(resolve, timeoutMs);
            }),
          ]);
        } catch (e) {
          // Losing the last export must not turn a clean shutdown into a crash.
          process.emitWarning(`telemetry shutdown: ${e instanceof Error ? e.message : String(e)}`);
        } finally {
          clearTimeout(timer);
          trace.disable();
          metrics.disable();
          propagation.disable();
          context.disable();
        }
      })();
      return stopped;
    },
  };
}
