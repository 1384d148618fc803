import type { IncomingMessage, ServerResponse } from "node:http";

/** How long, and how many bytes, an answer that closes the connection keeps reading the rest. */
const LINGER_MS = 1000;
const LINGER_BYTES = 4 * 1_048_576;

/** Writes a JSON response (status, body, optional headers); nothing once the client has left. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, jsonHeaders(text, headers));
  res.end(text);
}

/** The headers of a JSON answer of `text`, plus `extra` (which win). */
function jsonHeaders(text: string, extra: Record<string, string>): Record<string, string | number> {
  return { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...extra };
}

/**
 * Answers a request whose body was left unread, then closes the connection. The answer is
 * written first and the rest of the body read and dropped for a little while (a "lingering
 * close", as nginx does): closing a socket with unread data resets the connection, and a reset
 * can destroy the answer in the client's buffer before it is read.
 */
export function sendJsonAndClose(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, jsonHeaders(text, { connection: "close", ...headers }));
  res.write(text);
  let dropped = 0;
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    req.off("data", onData);
    res.end();
  };
  const onData = (chunk: Buffer): void => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) end();
  };
  const timer = setTimeout(end, LINGER_MS);
  req.on("data", onData);
  req.once("end", end);
  req.once("close", end);
  req.resume();
}
