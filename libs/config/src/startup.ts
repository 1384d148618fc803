import { load } from "./load.js";
import { redactCredentials } from "./option.js";
import { clickhouse, kafka, redis } from "./sections/connections.js";

/** Where a service's dependencies are, for naming them in a start-up failure. */
export interface Dependencies {
  readonly kafkaBrokers?: readonly string[];
  readonly redisUrl?: string;
  readonly clickhouseUrl?: string;
}

const KAFKA_CONNECTION = new Set([
  "KafkaJSConnectionError",
  "KafkaJSNumberOfRetriesExceeded",
  "KafkaJSBrokerNotFound",
  "KafkaJSConnectionClosedError",
  "KafkaJSRequestTimeoutError",
]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET"]);

function chain(e: unknown): Error[] {
  const out: Error[] = [];
  for (
    let cur = e;
    cur instanceof Error && out.length < 10;
    cur = (cur as Error & { cause?: unknown }).cause ?? (cur as { originalError?: unknown }).originalError
  )
    out.push(cur);
  return out;
}

/**
 * One readable line for an error that stopped a service from starting, naming the dependency
 * and the variable to check when it is a connection failure (classified by error name and
 * socket code, never by message text); undefined when it is something else.
 */
export function explainStartupError(e: unknown, deps: Dependencies): string | undefined {
  const errors = chain(e);
  const root = errors.at(-1);
  const reason = root === undefined ? String(e) : root.message;
  if (deps.kafkaBrokers && errors.some((x) => KAFKA_CONNECTION.has(x.name)))
    return `cannot reach Kafka at ${deps.kafkaBrokers.join(",")} (SEQLANE_KAFKA_BROKERS): ${reason}`;
  const code = errors
    .map((x) => (x as { code?: unknown }).code)
    .find((c) => typeof c === "string" && SOCKET_CODES.has(c));
  if (code === undefined) return undefined;
  const where = [
    deps.redisUrl && `Redis at ${redactCredentials(deps.redisUrl)} (SEQLANE_REDIS_URL)`,
    deps.clickhouseUrl && `ClickHouse at ${deps.clickhouseUrl} (SEQLANE_CLICKHOUSE_URL)`,
  ].filter(Boolean);
  return `cannot reach ${where.length > 0 ? where.join(" or ") : "a dependency"}: ${reason}`;
}

/** The dependencies' addresses as configured (for `explainStartupError` in a fatal handler). */
export function dependenciesFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Dependencies {
  const read = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  return {
    kafkaBrokers: read(() => load(kafka, env).brokers) ?? [],
    redisUrl: read(() => load(redis, env).url) ?? "",
    clickhouseUrl: read(() => load(clickhouse, env).url) ?? "",
  };
}
