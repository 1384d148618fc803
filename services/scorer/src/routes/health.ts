import type { ModelRegistry } from "@seqlane/models";
import { sendJson } from "../http/respond.js";
import type { Handler } from "../http/router.js";

/** GET /healthz: 200 while the process runs. */
export const healthRoute: Handler = async (_req, res) => sendJson(res, 200, { status: "ok" });

/** Whether the sequence store answers; the reason when it does not. */
export type StoreCheck = () => Promise<{ readonly ok: boolean; readonly reason?: string }>;

/**
 * GET /readyz: 200 once a model version is loaded and the sequence store answers; else 503 with
 * the load failures or the store's reason (a scorer that cannot read sequences should get no
 * traffic: every request would be a 503).
 */
export function readyRoute(registry: ModelRegistry, store?: StoreCheck): Handler {
  return async (_req, res) => {
    if (!registry.ready) return sendJson(res, 503, { status: "not_ready", failures: registry.failures() });
    const s = store === undefined ? { ok: true } : await store();
    if (!s.ok) return sendJson(res, 503, { status: "store_unavailable", reason: s.reason ?? "no answer" });
    return sendJson(res, 200, { status: "ready", models: registry.names() });
  };
}

/** A StoreCheck over a Redis client: PING within `timeoutMs`. */
export function redisStoreCheck(redis: { ping(): Promise<string> }, timeoutMs: number): StoreCheck {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        redis.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return { ok: true };
    } catch (e) {
      return { ok: false, reason: `redis: ${e instanceof Error ? e.message : String(e)}` };
    } finally {
      clearTimeout(timer);
    }
  };
}
