import { metrics } from "@opentelemetry/api";
import type { UserBlockInput } from "@seqlane/features";
import type { LoadedModel } from "@seqlane/models";
import { createInstrument } from "@seqlane/telemetry";
import type { ScorerLogger } from "../options.js";
import type { PredictionLog, PredictionRow } from "../predictions/log.js";

/** What scoring one request in shadow needs: the served request's inputs, re-used (no second Redis read). */
export interface ShadowWork {
  readonly versions: readonly LoadedModel[];
  readonly block: UserBlockInput;
  readonly requestId: string;
  readonly userId: string;
  readonly items: readonly (string | number)[];
  readonly positions: readonly (number | undefined)[];
  readonly trace: Readonly<Record<string, string>> | undefined;
}

export interface ShadowOptions {
  /** Candidate rows in shadow scoring at once; beyond it a request's shadow is skipped (SEQLANE_SHADOW_MAX_ROWS). */
  readonly maxRows: number;
  readonly predictions: PredictionLog | undefined;
  readonly logger: ScorerLogger;
}

/**
 * Scores shadow versions after a response was sent: the same user block through each shadow
 * version, its predictions logged as version 2 messages with shadow: true (recorded in
 * predictions_shadow, never among served predictions). Bounded (`maxRows` rows at once, the rest
 * skipped and counted), never throws, and a failure only counts and logs (at most once a minute):
 * nothing here can change a response. Its rows are excluded from load shedding (`inflightRows`).
 */
export class ShadowScorer {
  private rows = 0;
  private lastWarn = 0;
  private readonly counter = createInstrument(metrics.getMeter("@seqlane/scorer"), "scoreShadow");

  constructor(private readonly o: ShadowOptions) {}

  /** Rows submitted in shadow and not finished: the load shedder does not count them. */
  get inflightRows(): number {
    return this.rows;
  }

  run(work: ShadowWork): void {
    // Without a prediction log (SEQLANE_PREDICTION_LOG=false) a shadow score would go nowhere.
    if (this.o.predictions === undefined) return;
    for (const model of work.versions) {
      const n = work.items.length;
      const attrs = { model: model.name, version: model.version };
      if (this.rows + n > this.o.maxRows) {
        this.counter.add(n, { ...attrs, outcome: "skipped" });
        continue;
      }
      this.rows += n;
      let scored: Promise<void>;
      try {
        scored = model.score(work.block).then((r) => this.log(work, model, r.ctr ?? r.ctcvr, r.cvr));
      } catch (e) {
        scored = Promise.reject(e);
      }
      scored
        .then(
          () => this.counter.add(n, { ...attrs, outcome: "scored" }),
          (e: unknown) => {
            this.counter.add(n, { ...attrs, outcome: "failed" });
            if (Date.now() - this.lastWarn > 60_000) {
              this.lastWarn = Date.now();
              this.o.logger.warn("shadow scoring failed (the response was not affected)", {
                ...attrs,
                error: e instanceof Error ? e.message : String(e),
              });
            }
          },
        )
        .finally(() => (this.rows -= n))
        .catch(() => undefined);
    }
  }

  private log(
    work: ShadowWork,
    model: LoadedModel,
    ctr: Float32Array | undefined,
    cvr: Float32Array | undefined,
  ): void {
    if (this.o.predictions === undefined) return;
    const rows: PredictionRow[] = work.items.map((item, i) => {
      const position = work.positions[i];
      return {
        schema: 2,
        shadow: true,
        request_id: work.requestId,
        user_id: work.userId,
        item_id: String(item),
        model: model.name,
        version: model.version,
        ctr: ctr === undefined ? 0 : ctr[i]!,
        cvr: cvr === undefined ? null : cvr[i]!,
        ts: work.block.now,
        ...(position === undefined ? {} : { position }),
        ...(work.trace === undefined ? {} : { trace: work.trace }),
      };
    });
    if (!this.o.predictions.pushIfRoom(rows))
      throw new Error("the prediction log is more than half full: shadow predictions give way to served ones");
  }
}
