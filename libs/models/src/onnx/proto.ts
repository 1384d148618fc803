/**
 * Minimal protobuf writer: just what ONNX ModelProto needs (varints, length-delimited fields,
 * fixed32 floats, packed int64). Used to build fixture models without Python.
 */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private cur: number[] = [];

  private byte(b: number): void {
    this.cur.push(b & 0xff);
  }

  private flush(): void {
    if (this.cur.length > 0) this.chunks.push(Uint8Array.from(this.cur));
    this.cur = [];
  }

  /** Unsigned or negative int64 varint (negative: 10-byte two's complement, as protobuf does). */
  varint(n: number | bigint): this {
    let v = BigInt(n);
    if (v < 0n) v += 1n << 64n;
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) b |= 0x80;
      this.byte(b);
    } while (v !== 0n);
    return this;
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, n: number | bigint): this {
    this.tag(field, 0);
    return this.varint(n);
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2);
    this.varint(data.length);
    this.flush();
    this.chunks.push(data);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  float(field: number, f: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(new Float32Array([f]).buffer);
    for (const x of b) this.byte(x);
    return this;
  }

  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flush();
    let n = 0;
    for (const c of this.chunks) n += c.length;
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
