import { ClickHouseError } from "@clickhouse/client";

/** Server error codes worth retrying: overload, timeouts, merges behind, network inside the cluster. */
const RETRIABLE_SERVER_CODES: ReadonlySet<string> = new Set([
  "159", // TIMEOUT_EXCEEDED
  "164", // READONLY (replica in readonly mode while ZooKeeper is away)
  "202", // TOO_MANY_SIMULTANEOUS_QUERIES
  "209", // SOCKET_TIMEOUT
  "210", // NETWORK_ERROR
  "241", // MEMORY_LIMIT_EXCEEDED
  "252", // TOO_MANY_PARTS
  "319", // UNKNOWN_STATUS_OF_INSERT
  "425", // SYSTEM_ERROR
]);

/**
 * Whether a failed ClickHouse call may succeed if repeated. By type: programmer errors never;
 * a parsed server error by its code; a Node system error (has `code` and `syscall`, or an
 * undici-style `code`) always. Anything else (18.16's errors are not parsed into
 * ClickHouseError by the client, and client timeouts are plain Errors) is decided by whether
 * the server still answers /ping: if it does, the server rejected the statement.
 */
export function isRetriable(err: unknown, serverAnswersPing: boolean): boolean {
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError) return false;
  if (err instanceof ClickHouseError) return RETRIABLE_SERVER_CODES.has(String(err.code));
  if (err instanceof Error && typeof (err as { code?: unknown }).code === "string") return true;
  return !serverAnswersPing;
}
