import type { ModelRegistry } from "@seqlane/models";
import { sendJson } from "../http/respond.js";
import type { Handler } from "../http/router.js";

/** GET /healthz: 200 while the process runs. */
export const healthRoute: Handler = async (_req, res) => sendJson(res, 200, { status: "ok" });

/** GET /readyz: 200 once a model version is loaded, else 503 with the load failures. */
export function readyRoute(registry: ModelRegistry): Handler {
  return async (_req, res) =>
    registry.ready
      ? sendJson(res, 200, { status: "ready", models: registry.names() })
      : sendJson(res, 503, { status: "not_ready", failures: registry.failures() });
}
