import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "./errors.js";

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;

/** Writes a JSON response (status, body, optional headers). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, e: HttpError): void {
  const headers: Record<string, string> = {};
  if (e.retryAfterS !== undefined) headers["retry-after"] = String(e.retryAfterS);
  if (e.status === 401) headers["www-authenticate"] = 'Bearer realm="seqlane"';
  sendJson(res, e.status, e.toJSON(), headers);
}

/** Exact-path routes: "METHOD /path" -> handler. Unknown path 404, known path wrong method 405. */
export function route(routes: Readonly<Record<string, Handler>>): Handler {
  const paths = new Set(Object.keys(routes).map((k) => k.split(" ")[1]));
  return async (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const handler = routes[`${req.method} ${path}`];
    if (handler !== undefined) return handler(req, res);
    if (paths.has(path)) throw new HttpError(405, "method_not_allowed", `${req.method} is not allowed on ${path}`);
    throw new HttpError(404, "not_found", `no route ${req.method} ${path}`);
  };
}
