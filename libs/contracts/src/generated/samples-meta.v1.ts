/* Generated from schemas/samples-meta.v1.schema.json by scripts/gen-types.mjs (npm run gen -w @seqlane/contracts). Do not edit. */

/**
 * meta.json of a training sample set (docs/samples.md), written by `seqlane replay --samples` (and training's own writers), read by training/. The manifest is checked by its own schema (manifest.v1). Beyond this schema: every tensor's first dimension equals rows, and each <name>.bin holds exactly prod(shape) * itemsize bytes.
 */
export interface SamplesMeta {
  readonly format: "seqlane-samples";
  readonly format_version: 1;
  readonly rows: number;
  /**
   * The model manifest the tensors follow (manifest.v1).
   */
  readonly manifest: {
    [k: string]: unknown | undefined;
  };
  readonly tensors: TensorSpec[];
  readonly labels: ["click", "cart", "purchase"];
  readonly extras?: ("ts" | "user" | "p_true")[];
  readonly source?: string;
  readonly created_at?: string;
}
export interface TensorSpec {
  readonly name: string;
  readonly dtype: "int64" | "float32" | "float64" | "uint64" | "int32" | "uint32";
  /**
   * @minItems 1
   */
  readonly shape: [number, ...number[]];
}
