import { injectKafkaHeaders } from "@seqlane/telemetry";
import { randomUUID } from "node:crypto";
import { encodeCandidates, type CandidateInput } from "@seqlane/features";
import type { LoadedModel, ModelRegistry } from "@seqlane/models";
import type { SequenceStore } from "@seqlane/sequences";
import type { ItemCatalog } from "../catalog/catalog.js";
import { HttpError } from "../http/errors.js";
import type { PredictionLog, PredictionRow } from "../predictions/log.js";
import type { ScoreRequest } from "../request/parse.js";
import { routeVersion, shadowVersions } from "../routing/route.js";
import { userSlot, type SplitTable } from "../routing/split.js";
import type { ShadowWork } from "./shadow.js";

export interface ScoreDeps {
  readonly registry: ModelRegistry;
  readonly store: Pick<SequenceStore, "read">;
  readonly catalog: ItemCatalog;
  readonly predictions: PredictionLog | undefined;
  readonly split: SplitTable;
  /** Model for requests that name none; "" = the first loaded by name. */
  readonly defaultModel: string;
}

export interface ScoreResponse {
  readonly request_id: string;
  readonly model: string;
  readonly version: string;
  readonly provider: string;
  readonly scores: { item_id: string | number; ctr: number; cvr?: number }[];
}

/**
 * Picks the model version serving this request: an explicit version, else the model's
 * routing.json (serving + canary by user hash), else SEQLANE_TRAFFIC_SPLIT, else the newest.
 */
export function pickModel(req: ScoreRequest, deps: ScoreDeps): LoadedModel {
  const { registry } = deps;
  const name = req.model ?? (deps.defaultModel || registry.names()[0]);
  if (name === undefined) throw new HttpError(503, "not_ready", "no model is loaded yet", undefined, 1);
  if (req.model !== undefined && registry.versions(name).length === 0)
    throw new HttpError(
      404,
      "unknown_model",
      `model: no loaded model named ${JSON.stringify(name)} (loaded: ${registry.names().join(", ")})`,
      "model",
    );
  if (req.version !== undefined) {
    const m = registry.get(name, req.version);
    if (m === undefined)
      throw new HttpError(
        404,
        "unknown_version",
        `version: ${name} has no loaded version ${JSON.stringify(req.version)}`,
        "version",
      );
    return m;
  }
  const state = registry.routing(name);
  if (state !== undefined || deps.split.has(name)) {
    const loaded = new Set(registry.versions(name).map((m) => m.version));
    const { version } = routeVersion(state, deps.split, name, loaded, userSlot(req.userId));
    if (version !== undefined) return registry.get(name, version)!;
  }
  const newest = registry.get(name);
  if (newest === undefined)
    throw new HttpError(503, "not_ready", `model ${name} has no loaded version yet`, undefined, 1);
  return newest;
}

/** Fills category/brand from the catalog where the request left them out (request attributes win). */
function enrich(req: ScoreRequest, catalog: ItemCatalog): CandidateInput[] {
  let misses = 0;
  const out = req.candidates.map((c) => {
    if (c.categoryId !== undefined && c.brandId !== undefined) return c;
    const known = catalog.get(c.itemId);
    if (known === undefined) {
      if (c.categoryId === undefined) misses++;
      return c;
    }
    return {
      itemId: c.itemId,
      categoryId: c.categoryId ?? known.categoryId,
      brandId: c.brandId ?? known.brandId,
    };
  });
  catalog.recordMisses(misses);
  return out;
}

/** A scored request: the response, and the shadow versions to score once it is sent (if any). */
export interface ScoredRequest {
  readonly response: ScoreResponse;
  readonly shadow: ShadowWork | undefined;
}

/** Scores one request: one store read, catalog fill-in, micro-batched inference, prediction log. */
export async function scoreRequest(req: ScoreRequest, deps: ScoreDeps): Promise<ScoredRequest> {
  const model = pickModel(req, deps);
  const now = Date.now();
  const userId = String(req.userId);
  const sequences = await deps.store.read(userId);
  const candidates = encodeCandidates(enrich(req, deps.catalog));
  const block = { sequences, candidates, context: req.context, now };
  const result = await model.score(block);
  const ctr = result.ctr ?? result.ctcvr;
  const cvr = result.cvr;
  const requestId = req.requestId ?? randomUUID();
  const scores: ScoreResponse["scores"] = new Array(req.candidates.length);
  const rows: PredictionRow[] = new Array(req.candidates.length);
  // One set of trace headers per request (the active span is this request's), shared by its rows.
  const headers = injectKafkaHeaders();
  const traceHeaders = Object.keys(headers).length > 0 ? { trace: headers } : {};
  for (let i = 0; i < req.candidates.length; i++) {
    const c = req.candidates[i]!;
    const p = ctr === undefined ? 0 : ctr[i]!;
    scores[i] = cvr === undefined ? { item_id: c.itemId, ctr: p } : { item_id: c.itemId, ctr: p, cvr: cvr[i]! };
    const row: PredictionRow = {
      request_id: requestId,
      user_id: userId,
      item_id: String(c.itemId),
      model: model.name,
      version: model.version,
      ctr: p,
      cvr: cvr === undefined ? null : cvr[i]!,
      ts: now,
      ...(c.position === undefined ? {} : { position: c.position }),
      ...traceHeaders,
    };
    rows[i] = row;
  }
  deps.predictions?.push(rows);
  const response = {
    request_id: requestId,
    model: model.name,
    version: model.version,
    provider: model.provider,
    scores,
  };
  return { response, shadow: shadowWork(req, deps, model, block, requestId, userId, headers) };
}

/** The shadow versions of the request's model (routing.json), with the served request's inputs. */
function shadowWork(
  req: ScoreRequest,
  deps: ScoreDeps,
  served: LoadedModel,
  block: ShadowWork["block"],
  requestId: string,
  userId: string,
  trace: Record<string, string>,
): ShadowWork | undefined {
  const state = deps.registry.routing(served.name);
  if (state?.shadow === undefined || state.shadow.length === 0) return undefined;
  const loaded = deps.registry.versions(served.name);
  const names = new Set(shadowVersions(state, served.version, new Set(loaded.map((m) => m.version))));
  const versions = loaded.filter((m) => names.has(m.version));
  if (versions.length === 0) return undefined;
  return {
    versions,
    block,
    requestId,
    userId,
    items: req.candidates.map((c) => c.itemId),
    positions: req.candidates.map((c) => c.position),
    trace: Object.keys(trace).length > 0 ? trace : undefined,
  };
}
