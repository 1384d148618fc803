import type { Counter } from "@opentelemetry/api";
import type { BearerAuth } from "../http/auth.js";
import type { BodyReader } from "../http/body.js";
import type { LoadShedder } from "../http/load-shedder.js";
import { sendJson } from "../http/respond.js";
import type { Handler } from "../http/router.js";
import type { Timeouts } from "../http/timeouts.js";
import { parseScoreRequest } from "../request/parse.js";
import { scoreRequest, type ScoreDeps } from "../score/score.js";
import type { ShadowScorer } from "../score/shadow.js";

export interface ScoreRouteDeps {
  readonly auth: BearerAuth;
  readonly body: BodyReader;
  readonly shedder: LoadShedder;
  readonly timeouts: Timeouts;
  readonly maxCandidates: number;
  readonly score: ScoreDeps;
  /** Scores the model's shadow versions once the response is sent. */
  readonly shadow: ShadowScorer;
  /** Candidates scored, by model and version. */
  readonly candidates: Pick<Counter, "add">;
}

/**
 * POST /v1/score. The checks run cheapest first, and all that the headers can tell before the
 * body is read: token (401), media type and declared size (415, 413), a full queue (503).
 * Shadow versions are scored only after the response went out, and nothing they do reaches it.
 */
export function scoreRoute(d: ScoreRouteDeps): Handler {
  return async (req, res) => {
    d.auth.check(req);
    d.body.precheck(req);
    d.shedder.checkRows(1);
    const request = parseScoreRequest(await d.body.readJson(req), d.maxCandidates);
    const rows = request.candidates.length;
    const release = d.shedder.admitRows(rows);
    try {
      const { response, shadow } = await d.timeouts.deadline(scoreRequest(request, d.score));
      d.candidates.add(rows, { model: response.model, version: response.version });
      sendJson(res, 200, response);
      if (shadow !== undefined) d.shadow.run(shadow);
    } finally {
      release();
    }
  };
}
