import { id64BigInt } from "@seqlane/events";
import { TensorBuilder, encodeCandidates, type CandidateInput, type Manifest } from "@seqlane/features";
import { EMPTY_SEQUENCES, sequencesOf, type UserState } from "@seqlane/sequences";
import { SampleWriter } from "./writer.js";

/** One training row: a user's sequence state at `ts`, the candidate shown then, and its labels. */
export interface SampleRow {
  readonly userId: string;
  /** The user's apply() state at that moment; undefined: no history yet. */
  readonly state: UserState | undefined;
  readonly candidate: CandidateInput;
  /** 0-based rank on the page, fed as the context's position. */
  readonly position: number | undefined;
  /** The scoring (or exposure) time: the builder's `now`. */
  readonly ts: number;
  /** [click, cart, purchase] as 0/1. */
  readonly labels: readonly [number, number, number];
  /** The latent model's true click probability, when known (generated streams). */
  readonly pTrue?: number | undefined;
}

/**
 * Sample rows into a sample directory (docs/samples.md): the tensors the scorer would build
 * for that user at that moment — the same TensorBuilder over the same apply() state — written
 * by SampleWriter. Every sample source (event file, ClickHouse) goes through here.
 */
export class SampleRows {
  private readonly builder: TensorBuilder;
  private readonly writer: SampleWriter;
  readonly positives = { click: 0, cart: 0, purchase: 0 };

  constructor(
    private readonly manifest: Manifest,
    dir: string,
  ) {
    this.builder = new TensorBuilder(manifest, { reuseBuffers: true, fixedLengths: true });
    this.writer = new SampleWriter(dir);
  }

  get rows(): number {
    return this.writer.rows;
  }

  async append(r: SampleRow): Promise<void> {
    const batch = this.builder.build([
      {
        sequences: r.state === undefined ? EMPTY_SEQUENCES : sequencesOf(r.state),
        candidates: encodeCandidates([r.candidate]),
        context: r.position === undefined ? undefined : { position: r.position },
        now: r.ts,
      },
    ]);
    this.positives.click += r.labels[0];
    this.positives.cart += r.labels[1];
    this.positives.purchase += r.labels[2];
    await this.writer.append(batch.tensors, r.labels, r.ts, BigUint64Array.of(id64BigInt(r.userId)), r.pTrue);
  }

  /** Writes meta.json; `source` says where the rows came from. */
  close(source: string): Promise<void> {
    return this.writer.close(this.manifest, source);
  }
}
