export { bucket, bucketOfId64 } from "./hash/bucket.js";
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
export { encodeCandidates, rawId64Into } from "./tensors/candidates.js";
export type { CandidateInput, EncodedCandidates } from "./tensors/candidates.js";
export { timeGapBucket } from "./tensors/derived.js";
export { TensorBuilder, slotLengths } from "./tensors/builder.js";
export type {
  BuildOptions,
  RequestContext,
  TensorBatch,
  TensorBuilderOptions,
  UserBlockInput,
} from "./tensors/builder.js";
export { buildSamples } from "./tensors/samples.js";
export type { SampleInput } from "./tensors/samples.js";
