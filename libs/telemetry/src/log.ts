/** Log levels, least to most severe (SEQLANE_LOG_LEVEL picks the least one written). */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The one structured logger of every service and library: JSON lines on stderr. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** The same logger with more fixed fields on every line (e.g. a component name). */
  child(fields: Record<string, unknown>): Logger;
}

/**
 * One JSON object per line: `t` (ISO time), `level`, `service`, `message`, then the fields.
 * Lines below `level` are dropped before they are formatted.
 */
export function createLogger(
  service: string,
  level: LogLevel = "info",
  write: (line: string) => void = (l) => process.stderr.write(l),
  fixed: Record<string, unknown> = {},
): Logger {
  const min = LOG_LEVELS.indexOf(level);
  const at =
    (l: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (LOG_LEVELS.indexOf(l) < min) return;
      write(JSON.stringify({ t: new Date().toISOString(), level: l, service, message, ...fixed, ...fields }) + "\n");
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (more) => createLogger(service, level, write, { ...fixed, ...more }),
  };
}

/** A logger that writes nothing (tests). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};
