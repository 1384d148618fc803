import type { BehaviourType, SequenceName } from "@seqlane/sequences";

/**
 * Model manifest v1 (CONTRACT, docs/manifest.md) as a type. libs/models holds the JSON Schema
 * and the validator that turns untrusted JSON into this type; libs/features only reads it.
 */

export type SlotView = "plain" | "sessions" | "category_match";
export type SlotFieldName = "item" | "category" | "brand" | "type" | "time_gap" | "position";
export type CandidateFieldName = "item" | "category" | "brand";
export type ContextFieldName = "hour_of_day" | "day_of_week" | "position";
export type Task = "ctr" | "cvr" | "ctcvr";
export type Family = "pooling" | "target_attention" | "rnn" | "capsule" | "transformer" | "graph";

export interface SlotFieldSpec {
  readonly field: SlotFieldName;
  /** ONNX input name. */
  readonly tensor: string;
  /** Hash buckets (item, category, brand) or gap buckets (time_gap). */
  readonly buckets?: number;
}

export interface SlotSpec {
  readonly name: string;
  readonly source: SequenceName;
  readonly view: SlotView;
  readonly types?: readonly BehaviourType[];
  readonly max_len: number;
  readonly length_buckets?: readonly number[];
  readonly max_sessions?: number;
  readonly padding: "left" | "right";
  readonly fields: readonly SlotFieldSpec[];
  readonly mask?: string;
}

export interface CandidateFieldSpec {
  readonly field: CandidateFieldName;
  readonly tensor: string;
  readonly buckets: number;
}

export interface ContextFieldSpec {
  readonly field: ContextFieldName;
  readonly tensor: string;
  readonly buckets?: number;
}

export interface Manifest {
  readonly manifest_version: 1;
  readonly name: string;
  readonly version: string;
  readonly family: Family;
  readonly architecture: string;
  readonly tasks: readonly Task[];
  readonly slots: readonly SlotSpec[];
  readonly candidate: readonly CandidateFieldSpec[];
  readonly context?: readonly ContextFieldSpec[];
  readonly cand_user_index: string;
  readonly outputs: Readonly<Partial<Record<Task, string>>>;
}
