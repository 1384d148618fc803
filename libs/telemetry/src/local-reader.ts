import { MetricReader } from "@opentelemetry/sdk-metrics";

/**
 * A pull reader that keeps metrics inside the process, so a service (or the demo) can print
 * its own figures and tests can assert on them without any collector running.
 */
export class LocalMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}
