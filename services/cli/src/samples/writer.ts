import { compileSchema, loadSchema, pointerToPath, type SamplesMeta, type TensorSpec } from "@seqlane/contracts";
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import type { Manifest, TensorData } from "@seqlane/features";

interface Column {
  readonly dtype: string;
  readonly rowShape: readonly number[];
  readonly out: WriteStream;
}

const write = (out: WriteStream, bytes: Uint8Array): Promise<void> =>
  out.write(bytes) ? Promise.resolve() : new Promise((r) => out.once("drain", () => r()));

/**
 * Writes a sample set in the docs/samples.md layout: one raw little-endian file per tensor,
 * row-major, appended row by row, and meta.json with shapes once the row count is known.
 */
const SAMPLES_META = compileSchema(loadSchema("samples-meta.v1"));

export class SampleWriter {
  private readonly columns = new Map<string, Column>();
  rows = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private column(name: string, dtype: string, rowShape: readonly number[]): Column {
    let c = this.columns.get(name);
    if (c === undefined) {
      c = { dtype, rowShape, out: createWriteStream(join(this.dir, `${name}.bin`)) };
      this.columns.set(name, c);
    }
    return c;
  }

  private async put(name: string, dtype: string, rowShape: readonly number[], view: ArrayBufferView): Promise<void> {
    // Copy: the tensor builder reuses its buffers, and a stream keeps a reference until flushed.
    await write(
      this.column(name, dtype, rowShape).out,
      new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice(),
    );
  }

  /** Appends one row: the tensors of a one-candidate batch, labels, time, user, true p. */
  async append(
    tensors: readonly TensorData[],
    labels: readonly number[],
    ts: number,
    user: BigUint64Array,
    pTrue: number | undefined,
  ): Promise<void> {
    for (const t of tensors) {
      if (t.dims[0] !== 1)
        throw new RangeError(`tensor ${t.name}: expected one row, got dims ${JSON.stringify(t.dims)}`);
      await this.put(t.name, t.dtype, t.dims.slice(1), t.data);
    }
    await this.put("labels", "float32", [labels.length], Float32Array.from(labels));
    await this.put("ts", "float64", [], Float64Array.of(ts));
    await this.put("user", "uint64", [], user);
    if (pTrue !== undefined) await this.put("p_true", "float32", [], Float32Array.of(pTrue));
    this.rows++;
  }

  async close(manifest: Manifest, source: string): Promise<void> {
    await Promise.all(
      [...this.columns.values()].map(
        (c) => new Promise<void>((r, j) => c.out.end((e?: Error | null) => (e ? j(e) : r()))),
      ),
    );
    const tensors = [...this.columns]
      .filter(([name]) => !["labels", "ts", "user", "p_true"].includes(name))
      .map(([name, c]): TensorSpec => ({
        name,
        dtype: c.dtype as TensorSpec["dtype"], // checked against the contract below
        shape: [this.rows, ...c.rowShape],
      }));
    const meta: SamplesMeta = {
      format: "seqlane-samples",
      format_version: 1,
      rows: this.rows,
      manifest,
      tensors,
      labels: ["click", "cart", "purchase"],
      extras: [...this.columns.keys()].filter((n): n is "ts" | "user" | "p_true" =>
        ["ts", "user", "p_true"].includes(n),
      ),
      source,
      created_at: new Date().toISOString(),
    };
    // What training reads is the samples-meta contract: a writer that breaks it fails here, not there.
    const problems = SAMPLES_META.all(meta);
    if (problems.length > 0) {
      const p = problems[0]!;
      throw new Error(
        `samples meta.json breaks the samples-meta contract at ${pointerToPath(p.pointer, p.property)} (${p.keyword})`,
      );
    }
    writeFileSync(join(this.dir, "meta.json"), JSON.stringify(meta, null, 2) + "\n");
  }
}
