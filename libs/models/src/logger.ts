import { createLogger, type Logger as ServiceLogger } from "@seqlane/telemetry";

/**
 * What the registry and sessions log through: the service's logger (libs/telemetry
 * createLogger), or in tests any object with these three methods.
 */
export type Logger = Pick<ServiceLogger, "info" | "warn" | "error">;

/** JSON lines on stderr, level info (services pass their own, honouring SEQLANE_LOG_LEVEL). */
export const consoleLogger: Logger = createLogger("seqlane");

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
