import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { id64BigInt, parseEvent, type BehaviourEvent } from "@seqlane/events";
import { TensorBuilder, encodeCandidates, type Manifest } from "@seqlane/features";
import {
  EMPTY_SEQUENCES as EMPTY,
  createReplayer,
  sequencesOf,
  type ApplyOptions,
  type SequenceSpec,
} from "@seqlane/sequences";
import { DEFAULT_WINDOWS, OutcomeIndex, type LabelWindows } from "./labels.js";
import { SampleWriter } from "./writer.js";

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
  const builder = new TensorBuilder(manifest, { reuseBuffers: true, fixedLengths: true });
  const writer = new SampleWriter(outDir);
  const positives = { click: 0, cart: 0, purchase: 0 };
  const maxRows = opts.maxRows ?? Number.POSITIVE_INFINITY;
  // A re-delivered exposure is one impression: dedup by event_id as apply() does for state.
  const seenExposures = new Set<string>();
  for await (const e of events(input, maxBytes, () => invalid++)) {
    if (e.type === "exposure" && writer.rows < maxRows && !seenExposures.has(e.event_id)) {
      seenExposures.add(e.event_id);
      const state = replayer.states.get(e.user_id);
      const batch = builder.build([
        {
          sequences: state === undefined ? EMPTY : sequencesOf(state),
          candidates: encodeCandidates([{ itemId: e.item_id, categoryId: e.category_id, brandId: e.brand_id }]),
          context: e.position === undefined ? undefined : { position: e.position },
          now: e.ts,
        },
      ]);
      const labels = outcomes.labels(e.user_id, e.item_id, e.ts, windows);
      positives.click += labels[0];
      positives.cart += labels[1];
      positives.purchase += labels[2];
      await writer.append(batch.tensors, labels, e.ts, BigUint64Array.of(id64BigInt(e.user_id)), e.p_click);
    }
    replayer.push(e);
  }
  await writer.close(manifest, `file:${input}`);
  return { rows: writer.rows, positives, invalid };
}
