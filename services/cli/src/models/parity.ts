import { readFile } from "node:fs/promises";
import { join } from "node:path";
import ort from "onnxruntime-node";
import { openSession } from "@seqlane/models";

interface TensorFile {
  readonly name: string;
  readonly dtype: "int64" | "float32";
  readonly shape: readonly number[];
  readonly file: string;
}

interface ParityMeta {
  readonly tolerance: number;
  readonly inputs: readonly TensorFile[];
  readonly outputs: readonly TensorFile[];
}

export interface ParityResult {
  readonly maxAbsDiff: number;
  readonly tolerance: number;
  readonly outputs: number;
}

async function readTensor(dir: string, t: TensorFile): Promise<BigInt64Array | Float32Array> {
  const b = await readFile(join(dir, t.file));
  const buf = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  const arr = t.dtype === "int64" ? new BigInt64Array(buf) : new Float32Array(buf);
  const want = t.shape.reduce((a, d) => a * d, 1);
  if (arr.length !== want)
    throw new Error(`parity/${t.file}: ${arr.length} values, shape ${JSON.stringify(t.shape)} needs ${want}`);
  return arr;
}

/**
 * Runs the parity batch that training wrote beside the model (`parity/meta.json`, PyTorch's
 * outputs) through onnxruntime-node on CPU — the scorer's own runtime — and reports the largest
 * absolute difference.
 */
export async function checkParity(modelDir: string): Promise<ParityResult> {
  const dir = join(modelDir, "parity");
  const meta = JSON.parse(await readFile(join(dir, "meta.json"), "utf8")) as ParityMeta;
  const { session } = await openSession(join(modelDir, "model.onnx"), { executionProviders: ["cpu"], worker: false });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const t of meta.inputs) {
      if (!session.inputNames.includes(t.name)) continue; // an input the graph pruned
      feeds[t.name] = new ort.Tensor(t.dtype, await readTensor(dir, t), [...t.shape]);
    }
    const got = await session.run(feeds);
    let maxAbsDiff = 0;
    for (const t of meta.outputs) {
      const want = await readTensor(dir, t);
      const out = got[t.name];
      if (out === undefined) throw new Error(`model has no output ${t.name}`);
      const data = out.data as Float32Array;
      if (data.length !== want.length)
        throw new Error(`output ${t.name}: ${data.length} values, expected ${want.length}`);
      for (let i = 0; i < data.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(data[i]! - Number(want[i]!)));
    }
    return { maxAbsDiff, tolerance: meta.tolerance, outputs: meta.outputs.length };
  } finally {
    await session.release();
  }
}
