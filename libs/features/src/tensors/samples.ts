import type { Manifest } from "../manifest/types.js";
import { TensorBuilder, type RequestContext, type TensorBatch } from "./builder.js";
import { encodeCandidates, type CandidateInput } from "./candidates.js";
import type { UserSequences } from "@seqlane/sequences";

/** One training sample: a user's sequences as of `now` and the candidate shown then. */
export interface SampleInput {
  readonly sequences: UserSequences;
  readonly candidate: CandidateInput;
  readonly context?: RequestContext | undefined;
  readonly now: number;
}

/**
 * Training-sample tensors (docs/samples.md): one row per candidate with its own user block, so
 * user tensors have N rows and cand_user_index is 0..N-1; length axes at max_len. Same code as
 * serving, so samples equal serving features. Fresh arrays (safe to keep and write to disk).
 */
export function buildSamples(manifest: Manifest, samples: readonly SampleInput[]): TensorBatch {
  const builder = new TensorBuilder(manifest, { reuseBuffers: false, fixedLengths: true });
  return builder.build(
    samples.map((s) => ({
      sequences: s.sequences,
      candidates: encodeCandidates([s.candidate]),
      context: s.context,
      now: s.now,
    })),
  );
}
