export { bucket, bucketOfId64 } from "./hash/bucket.js";
export { id64BigInt, id64Into, rawId64Into } from "./hash/id64.js";
export type {
  CandidateFieldName,
  CandidateFieldSpec,
  ContextFieldName,
  ContextFieldSpec,
  Family,
  Manifest,
  SlotFieldName,
  SlotFieldSpec,
  SlotSpec,
  SlotView,
  Task,
} from "./manifest/types.js";
export type { TensorData } from "./tensors/buffers.js";
export { encodeCandidates } from "./tensors/candidates.js";
export type { CandidateInput, EncodedCandidates } from "./tensors/candidates.js";
export { SESSION_GAP_MS, timeGapBucket } from "./tensors/derived.js";
export { TensorBuilder, slotLengths } from "./tensors/builder.js";
export type { BuildOptions, RequestContext, TensorBatch, TensorBuilderOptions, UserBlockInput } from "./tensors/builder.js";
export { buildSamples } from "./tensors/samples.js";
export type { SampleInput } from "./tensors/samples.js";
export { BEHAVIOUR_CODES, EMPTY_SEQUENCES, SEQUENCE_NAMES } from "./tensors/sequence-types.js";
export type { BehaviourType, SequenceBlock, SequenceName, UserSequences } from "./tensors/sequence-types.js";
