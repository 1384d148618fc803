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
  healthHost: str(
    "SEQLANE_HEALTH_HOST",
    "Address the /healthz and /metrics endpoints of ingest and recorder listen on (0.0.0.0 for probes from outside the host)",
    "127.0.0.1",
    /^[0-9A-Za-z.:-]{1,253}$/,
  ),
} as const;
