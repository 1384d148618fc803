import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { parseEvent, type BehaviourEvent } from "@seqlane/events";
import type { Manifest } from "@seqlane/features";
import { createReplayer, type ApplyOptions, type SequenceSpec } from "@seqlane/sequences";
import { DEFAULT_WINDOWS, OutcomeIndex, type LabelWindows } from "./labels.js";
import { SampleRows } from "./rows.js";

export interface SamplesSummary {
  readonly rows: number;
  readonly positives: { click: number; cart: number; purchase: number };
  readonly invalid: number;
}

/** `maxBytes` undefined: the event contract's limit (parseEvent's default). */
async function* events(
  path: string,
  maxBytes: number | undefined,
  onInvalid: () => void,
): AsyncGenerator<BehaviourEvent & { p_click?: number }> {
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === "") continue;
    const r = parseEvent(line, { maxBytes });
    if (!r.ok) {
      onInvalid();
      continue;
    }
    const p = (JSON.parse(line) as { p_click?: unknown }).p_click;
    yield typeof p === "number" ? { ...r.event, p_click: p } : r.event;
  }
}

/**
 * Training samples from an ordered event file (docs/samples.md). One row per exposure: the
 * tensors the scorer would build for that user at that moment — the same apply() state, the
 * same TensorBuilder — and the click/cart/purchase labels inside the attribution windows.
 */
export async function samplesFromFile(
  input: string,
  outDir: string,
  manifest: Manifest,
  spec: SequenceSpec,
  opts: ApplyOptions & { maxEventBytes?: number; windows?: LabelWindows; maxRows?: number },
): Promise<SamplesSummary> {
  const maxBytes = opts.maxEventBytes;
  const windows = opts.windows ?? DEFAULT_WINDOWS;
  let invalid = 0;
  const outcomes = new OutcomeIndex();
  for await (const e of events(input, maxBytes, () => {})) outcomes.add(e);

  const replayer = createReplayer(spec, opts);
  const out = new SampleRows(manifest, outDir);
  const maxRows = opts.maxRows ?? Number.POSITIVE_INFINITY;
  // A re-delivered exposure is one impression: dedup by event_id as apply() does for state.
  const seenExposures = new Set<string>();
  for await (const e of events(input, maxBytes, () => invalid++)) {
    if (e.type === "exposure" && out.rows < maxRows && !seenExposures.has(e.event_id)) {
      seenExposures.add(e.event_id);
      await out.append({
        userId: e.user_id,
        state: replayer.states.get(e.user_id),
        candidate: { itemId: e.item_id, categoryId: e.category_id, brandId: e.brand_id },
        position: e.position,
        ts: e.ts,
        labels: outcomes.labels(e.user_id, e.item_id, e.ts, windows),
        pTrue: e.p_click,
      });
    }
    replayer.push(e);
  }
  await out.close(`file:${input}`);
  return { rows: out.rows, positives: out.positives, invalid };
}
