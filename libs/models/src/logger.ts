/** Structured logger the registry writes to; services pass their own, tests a silent one. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

function line(level: string, msg: string, fields?: Record<string, unknown>): string {
  return JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields });
}

/** JSON lines on stdout/stderr. */
export const consoleLogger: Logger = {
  info: (m, f) => console.log(line("info", m, f)),
  warn: (m, f) => console.warn(line("warn", m, f)),
  error: (m, f) => console.error(line("error", m, f)),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
