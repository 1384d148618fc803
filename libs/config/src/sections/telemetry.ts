import { oneOf, str } from "../option.js";

/** Telemetry; exporters themselves follow the standard OTEL_* variables. */
export const telemetry = {
  serviceName: str(
    "OTEL_SERVICE_NAME",
    "Service name on traces and metrics (defaults to the service's own)",
    "",
    undefined,
  ),
  logLevel: oneOf("SEQLANE_LOG_LEVEL", "Log level", ["debug", "info", "warn", "error"] as const, "info"),
} as const;
