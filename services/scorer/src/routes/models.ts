import type { ModelRegistry } from "@seqlane/models";
import type { BearerAuth } from "../http/auth.js";
import { sendJson } from "../http/respond.js";
import type { Handler } from "../http/router.js";
import type { SplitTable } from "../routing/split.js";

/** GET /v1/models: loaded versions per model, its routing (routing.json, else the traffic split), load failures. */
export function modelsRoute(auth: BearerAuth, registry: ModelRegistry, split: SplitTable): Handler {
  return async (req, res) => {
    auth.check(req);
    sendJson(res, 200, {
      models: registry.names().map((name) => ({
        name,
        newest: registry.get(name)?.version,
        split: split.get(name) ?? null,
        routing: registry.routing(name) ?? null,
        versions: registry.versions(name).map((m) => ({
          version: m.version,
          provider: m.provider,
          family: m.manifest.family,
          architecture: m.manifest.architecture,
          tasks: m.manifest.tasks,
          loaded_at: new Date(m.loadedAt).toISOString(),
          pending_rows: m.pendingRows,
          batch_rows: m.batchRows,
        })),
      })),
      failures: registry.failures(),
    });
  };
}
