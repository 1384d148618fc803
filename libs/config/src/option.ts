import { ConfigError } from "./errors.js";

/** Read-only view of the environment; `process.env` in services, a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/** One documented option: variable name, default, and a parser that throws a reason string. */
export interface Option<T> {
  readonly variable: string;
  readonly doc: string;
  /** Shown in docs; `undefined` means required. */
  readonly defaultText: string | undefined;
  read(env: Env): T;
}

type Parser<T> = (raw: string) => T;

function option<T>(
  variable: string,
  doc: string,
  parse: Parser<T>,
  fallback: T | undefined,
  defaultText?: string,
): Option<T> {
  return {
    variable,
    doc,
    defaultText: fallback === undefined ? undefined : (defaultText ?? String(fallback)),
    read(env) {
      const raw = env[variable];
      if (raw === undefined || raw.trim() === "") {
        if (fallback === undefined) throw new ConfigError(variable, "is required");
        return fallback;
      }
      try {
        return parse(raw.trim());
      } catch (e) {
        throw new ConfigError(variable, e instanceof Error ? e.message : String(e), redactCredentials(raw));
      }
    },
  };
}

/** A URL's user:password part replaced by `***`, so that an error line never carries a secret. */
export function redactCredentials(text: string): string {
  return text.replace(/\/\/[^@/\s]*@/g, "//***@");
}

/**
 * A password or token: taken as it is (not trimmed), never echoed in an error, shown in the
 * docs as "(secret)" when it has a default.
 */
export function secret(variable: string, doc: string, fallback = ""): Option<string> {
  return {
    variable,
    doc,
    defaultText: fallback === "" ? "" : "(secret)",
    read: (env) => env[variable] ?? fallback,
  };
}

export function str(variable: string, doc: string, fallback?: string, pattern?: RegExp): Option<string> {
  return option(
    variable,
    doc,
    (raw) => {
      if (pattern && !pattern.test(raw)) throw new Error(`must match ${String(pattern)}`);
      return raw;
    },
    fallback,
  );
}

export function int(
  variable: string,
  doc: string,
  fallback: number | undefined,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): Option<number> {
  return option(
    variable,
    doc,
    (raw) => {
      if (!/^-?\d+$/.test(raw)) throw new Error("must be an integer");
      const n = Number(raw);
      if (n < min || n > max) throw new Error(`must be between ${min} and ${max}`);
      return n;
    },
    fallback,
  );
}

/** A decimal number (e.g. 0.005, 1.25) within [min, max]. */
export function num(
  variable: string,
  doc: string,
  fallback: number | undefined,
  min: number,
  max: number,
): Option<number> {
  return option(
    variable,
    doc,
    (raw) => {
      if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw)) throw new Error("must be a number, e.g. 0.25");
      const n = Number(raw);
      if (!(n >= min && n <= max)) throw new Error(`must be between ${min} and ${max}`);
      return n;
    },
    fallback,
  );
}

export function bool(variable: string, doc: string, fallback: boolean): Option<boolean> {
  return option(
    variable,
    doc,
    (raw) => {
      const v = raw.toLowerCase();
      if (["1", "true", "yes", "on"].includes(v)) return true;
      if (["0", "false", "no", "off"].includes(v)) return false;
      throw new Error("must be true or false");
    },
    fallback,
  );
}

export function oneOf<T extends string>(variable: string, doc: string, values: readonly T[], fallback: T): Option<T> {
  return option(
    variable,
    doc,
    (raw) => {
      if (!(values as readonly string[]).includes(raw)) throw new Error(`must be one of ${values.join(", ")}`);
      return raw as T;
    },
    fallback,
  );
}

/** A comma-separated list; each item checked by `item`, which throws a reason. */
export function list<T>(
  variable: string,
  doc: string,
  item: Parser<T>,
  fallback: readonly T[] | undefined,
  defaultText?: string,
): Option<readonly T[]> {
  return option(
    variable,
    doc,
    (raw) => {
      const parts = raw
        .split(",")
        .map((p) => p.trim())
        .filter((p) => p !== "");
      if (parts.length === 0) throw new Error("must list at least one value");
      return parts.map((p, i) => {
        try {
          return item(p);
        } catch (e) {
          throw new Error(`item ${i + 1} (${JSON.stringify(p)}) ${e instanceof Error ? e.message : String(e)}`);
        }
      });
    },
    fallback,
    defaultText ?? fallback?.join(","),
  );
}

export function url(variable: string, doc: string, fallback: string, protocols: readonly string[]): Option<string> {
  return option(
    variable,
    doc,
    (raw) => {
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        throw new Error(`must be a URL like ${fallback}`);
      }
      if (!protocols.includes(u.protocol)) throw new Error(`must use ${protocols.join(" or ")}`);
      if (u.hostname === "") throw new Error("must name a host");
      return raw;
    },
    fallback,
  );
}

const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$|^\[[0-9a-fA-F:]+\]$/;

/** `host:port`, as Kafka brokers are given. Rejects values without a port, so typos fail here. */
export function hostPort(raw: string): string {
  const m = /^(.+):(\d{1,5})$/.exec(raw);
  if (!m) throw new Error("must be host:port, e.g. 127.0.0.1:9092");
  const [, host = "", port = ""] = m;
  if (!HOST.test(host)) throw new Error(`has an invalid host ${JSON.stringify(host)}`);
  const p = Number(port);
  if (p < 1 || p > 65535) throw new Error("has a port outside 1-65535");
  return raw;
}
