/* Generated from schemas/manifest.v1.schema.json by scripts/gen-types.mjs (npm run gen -w @seqlane/contracts). Do not edit. */

/**
 * Model family.
 */
export type Family = "pooling" | "target_attention" | "rnn" | "capsule" | "transformer" | "graph";
export type Task = "ctr" | "cvr" | "ctcvr";
/**
 * The stored sequence (libs/sequences) the slot reads.
 */
export type SlotSource = "short_mixed" | "long_click" | "long_purchase" | "device_click" | "exposure";
export type SlotView = "plain" | "sessions" | "category_match";
export type SlotBehaviourType = "click" | "fav" | "cart" | "purchase" | "exposure";
/**
 * left: records right-aligned, newest last; right: left-aligned, oldest first.
 */
export type SlotPadding = "left" | "right";
export type SlotFieldName = "item" | "category" | "brand" | "type" | "time_gap" | "position";
/**
 * An ONNX tensor name.
 */
export type TensorName = string;
/**
 * Hash buckets (item, category, brand), gap buckets (time_gap) or value buckets (context); row 0 is padding.
 */
export type Buckets = number;
export type CandidateFieldName = "item" | "category" | "brand";
export type ContextFieldName = "hour_of_day" | "day_of_week" | "position";

/**
 * Model manifest v1 (docs/manifest.md): `manifest.json` beside `model.onnx` in `<registry>/<name>/<version>/`; says which tensors the model takes and how libs/features builds them. Beyond this schema, rules that JSON Schema cannot say are checked in code, once in libs/models/src/manifest/validate.ts and once in training/src/seqlane_train/manifest.py (pinned by vectors/manifest/): id and time_gap slot fields need buckets; length_buckets ascend and end at max_len; max_sessions is given exactly when view is sessions; a slot names each field once; slot names are unique; every tensor name (inputs and outputs) is used once; outputs name exactly the tasks.
 */
export interface Manifest {
  /**
   * Manifest format version.
   */
  readonly manifest_version: 1;
  /**
   * Model name; the registry directory.
   */
  readonly name: string;
  /**
   * Model version; the registry directory under the name.
   */
  readonly version: string;
  readonly family: Family;
  /**
   * Free text: youtube_dnn, din, dien, bst, dsin, sim, dmt, ...
   */
  readonly architecture: string;
  /**
   * What the model predicts, each with an output in `outputs`.
   *
   * @minItems 1
   */
  readonly tasks: [Task, ...Task[]];
  /**
   * Behaviour-sequence inputs.
   */
  readonly slots: SlotSpec[];
  /**
   * Per-candidate id inputs, shape [C]; cand_user_index (input [C]) gives each candidate's row in the user-major tensors.
   *
   * @minItems 1
   */
  readonly candidate: [CandidateFieldSpec, ...CandidateFieldSpec[]];
  /**
   * Per-user request-context inputs, shape [U].
   */
  readonly context?: ContextFieldSpec[];
  readonly cand_user_index: TensorName;
  readonly outputs: Outputs;
}
/**
 * One behaviour-sequence input: a view of one stored sequence. `mask`, when given, is a float32 input, 1 = real record, 0 = padding.
 */
export interface SlotSpec {
  readonly name: string;
  readonly source: SlotSource;
  readonly view: SlotView;
  /**
   * Optional filter on behaviour type (e.g. DMT's cart sequence from short_mixed).
   */
  readonly types?: SlotBehaviourType[];
  /**
   * L (plain, sessions) or K (category_match): most recent records kept.
   */
  readonly max_len: number;
  /**
   * L of a batch = smallest bucket >= longest real length; ascending, the last equals max_len.
   *
   * @minItems 1
   */
  readonly length_buckets?: [number, ...number[]];
  /**
   * S, given exactly when view is sessions.
   */
  readonly max_sessions?: number;
  readonly padding: SlotPadding;
  /**
   * @minItems 1
   */
  readonly fields: [SlotFieldSpec, ...SlotFieldSpec[]];
  readonly mask?: TensorName;
}
/**
 * One per-record input of a slot; `buckets` is required for item, category, brand and time_gap.
 */
export interface SlotFieldSpec {
  readonly field: SlotFieldName;
  readonly tensor: TensorName;
  readonly buckets?: Buckets;
}
export interface CandidateFieldSpec {
  readonly field: CandidateFieldName;
  readonly tensor: TensorName;
  readonly buckets: Buckets;
}
export interface ContextFieldSpec {
  readonly field: ContextFieldName;
  readonly tensor: TensorName;
  readonly buckets?: Buckets;
}
/**
 * Task -> output tensor name; each output float32 [C] in [0, 1].
 */
export interface Outputs {
  readonly ctr?: TensorName;
  readonly cvr?: TensorName;
  readonly ctcvr?: TensorName;
}
