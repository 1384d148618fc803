import { ProtoWriter } from "./proto.js";

/** ONNX TensorProto.DataType codes used here. */
export const FLOAT = 1;
export const INT64 = 7;
type Dim = number | string;
type Attr = { name: string } & ({ i: number } | { f: number } | { ints: readonly number[] });

interface Node {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attrs: readonly Attr[];
}

interface Initializer {
  name: string;
  type: number;
  dims: readonly number[];
  raw: Uint8Array;
}

/**
 * Builds an ONNX model (IR 8, opset 17) node by node and encodes it as ModelProto bytes
 * (field numbers from onnx/onnx.proto). Dynamic axes are named dims ("U", "C", "L").
 */
export class GraphBuilder {
  private readonly nodes: Node[] = [];
  private readonly inits: Initializer[] = [];
  private readonly inputs: { name: string; type: number; dims: readonly Dim[] }[] = [];
  private readonly outputs: { name: string; type: number; dims: readonly Dim[] }[] = [];
  private counter = 0;

  constructor(private readonly name: string) {}

  input(name: string, type: number, dims: readonly Dim[]): string {
    this.inputs.push({ name, type, dims });
    return name;
  }

  output(name: string, type: number, dims: readonly Dim[]): void {
    this.outputs.push({ name, type, dims });
  }

  /** A float32 constant (weights). */
  floats(name: string, dims: readonly number[], data: Float32Array): string {
    this.inits.push({
      name,
      type: FLOAT,
      dims,
      raw: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
    });
    return name;
  }

  /** An int64 constant (axes, shapes). */
  ints(name: string, dims: readonly number[], data: readonly number[]): string {
    const a = BigInt64Array.from(data.map((x) => BigInt(x)));
    this.inits.push({ name, type: INT64, dims, raw: new Uint8Array(a.buffer) });
    return name;
  }

  /** Adds a node; returns its first output (named `out` or generated). */
  node(op: string, inputs: readonly string[], attrs: readonly Attr[] = [], out?: string): string {
    const o = out ?? `${op.toLowerCase()}_${this.counter++}`;
    this.nodes.push({ op, inputs, outputs: [o], attrs });
    return o;
  }

  encode(): Uint8Array {
    const valueInfo = (w: ProtoWriter, v: { name: string; type: number; dims: readonly Dim[] }) => {
      w.string(1, v.name);
      w.message(2, (t) =>
        t.message(1, (tt) => {
          tt.int(1, v.type);
          tt.message(2, (shape) => {
            for (const d of v.dims)
              shape.message(1, (dim) => (typeof d === "number" ? dim.int(1, d) : dim.string(2, d)));
          });
        }),
      );
    };
    const model = new ProtoWriter();
    model.int(1, 8); // ir_version
    model.string(2, "seqlane-fixtures");
    model.string(3, "1");
    model.message(7, (g) => {
      for (const n of this.nodes) {
        g.message(1, (w) => {
          for (const i of n.inputs) w.string(1, i);
          for (const o of n.outputs) w.string(2, o);
          w.string(3, n.outputs[0]!);
          w.string(4, n.op);
          for (const a of n.attrs) {
            w.message(5, (aw) => {
              aw.string(1, a.name);
              if ("i" in a) aw.int(3, a.i).int(20, 2);
              else if ("f" in a) aw.float(2, a.f).int(20, 1);
              else aw.packedInts(8, a.ints).int(20, 7);
            });
          }
        });
      }
      g.string(2, this.name);
      for (const t of this.inits) {
        g.message(5, (w) => {
          w.packedInts(1, t.dims);
          w.int(2, t.type);
          w.string(8, t.name);
          w.bytes(9, t.raw);
        });
      }
      for (const i of this.inputs) g.message(11, (w) => valueInfo(w, i));
      for (const o of this.outputs) g.message(12, (w) => valueInfo(w, o));
    });
    model.message(8, (w) => w.string(1, "").int(2, 17)); // opset_import
    return model.finish();
  }
}
