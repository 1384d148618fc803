/** One built input tensor: name, dtype and shape as the ONNX graph declares them. */
export interface TensorData {
  readonly name: string;
  readonly dtype: "int64" | "float32";
  readonly dims: readonly number[];
  readonly data: BigInt64Array | Float32Array;
}

/** An int64 tensor plus an Int32Array view of the same memory for BigInt-free writes. */
export interface Int64Slab {
  readonly big: BigInt64Array;
  /** Little-endian words: element i's low word is i32[2 * i]. */
  readonly i32: Int32Array;
}

/**
 * Named backing buffers reused across builds (reuse = true): a batch's typed arrays are
 * views of them, valid until the next build on the same builder. Zero-filled on each take.
 */
export class Buffers {
  private readonly byName = new Map<string, ArrayBuffer>();

  constructor(private readonly reuse: boolean) {}

  private take(name: string, bytes: number): ArrayBuffer {
    if (!this.reuse) return new ArrayBuffer(bytes);
    let buf = this.byName.get(name);
    if (buf === undefined || buf.byteLength < bytes) {
      buf = new ArrayBuffer(Math.max(bytes, Math.ceil((buf?.byteLength ?? 0) * 1.5)));
      this.byName.set(name, buf);
    }
    return buf;
  }

  int64(name: string, n: number): Int64Slab {
    const buf = this.take(name, n * 8);
    const i32 = new Int32Array(buf, 0, 2 * n);
    i32.fill(0);
    return { big: new BigInt64Array(buf, 0, n), i32 };
  }

  float32(name: string, n: number): Float32Array {
    const a = new Float32Array(this.take(name, n * 4), 0, n);
    a.fill(0);
    return a;
  }

  int32(name: string, n: number): Int32Array {
    const buf = this.take(name, n * 4);
    return new Int32Array(buf, 0, n);
  }
}
