import type { BehaviourType, SequenceName } from "@seqlane/sequences";
import type * as V1 from "@seqlane/contracts";

/**
 * Model manifest v1 (CONTRACT, docs/manifest.md) as types, derived from the schema
 * libs/contracts/schemas/manifest.v1.schema.json through the types generated from it
 * (libs/contracts/src/generated/manifest.v1.ts). libs/models validates untrusted JSON into them;
 * libs/features only reads them.
 */

/**
 * The generated types with readonly arrays too (the generator marks properties readonly, not
 * arrays, and writes `minItems: 1` as a non-empty tuple): a manifest is read, never changed, and
 * literal `as const` manifests must fit.
 */
type Frozen<T> = T extends readonly (infer U)[]
  ? readonly Frozen<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;

export type Manifest = Frozen<V1.Manifest>;
export type SlotSpec = Frozen<V1.SlotSpec>;
export type SlotFieldSpec = Frozen<V1.SlotFieldSpec>;
export type CandidateFieldSpec = Frozen<V1.CandidateFieldSpec>;
export type ContextFieldSpec = Frozen<V1.ContextFieldSpec>;
export type SlotView = V1.SlotView;
export type SlotFieldName = V1.SlotFieldName;
export type CandidateFieldName = V1.CandidateFieldName;
export type ContextFieldName = V1.ContextFieldName;
export type Task = V1.Task;
export type Family = V1.Family;

// The schema lists the stored sequences and behaviour types as data; libs/sequences declares
// them in code. These fail to compile when the two lists drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sourcesMatch: Same<V1.SlotSource, SequenceName> = true;
const typesMatch: Same<V1.SlotBehaviourType, BehaviourType> = true;
void sourcesMatch;
void typesMatch;
