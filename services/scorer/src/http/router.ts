import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "./errors.js";

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;

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
