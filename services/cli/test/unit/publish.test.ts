import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TensorBuilder, encodeCandidates } from "@seqlane/features";
import { EMPTY_SEQUENCES } from "@seqlane/sequences";
import { dinFixture, reference } from "@seqlane/models";
import { describe, expect, it } from "vitest";
import { PublishError, publishModel } from "../../src/models/publish.js";

// An export directory as training writes it: model.onnx, manifest.json and parity/ whose
// expected outputs come from an independent computation (here the fixture's JS reference).
function exportDir(opts: { skew?: number } = {}): string {
  const fx = dinFixture({ seed: 5 });
  const dir = mkdtempSync(join(tmpdir(), "export-"));
  writeFileSync(join(dir, "model.onnx"), fx.onnx);
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(fx.manifest));
  const batch = new TensorBuilder(fx.manifest, { reuseBuffers: false }).build([
    {
      sequences: EMPTY_SEQUENCES,
      candidates: encodeCandidates([
        { itemId: 1, categoryId: 2 },
        { itemId: "x", categoryId: 3 },
      ]),
      now: 0,
    },
  ]);
  const ref = reference(fx.weights, batch.tensors);
  const p = join(dir, "parity");
  mkdirSync(p);
  const put = (name: string, dtype: string, dims: readonly number[], data: ArrayBufferView) => {
    writeFileSync(join(p, `${name}.bin`), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return { name, dtype, shape: dims, file: `${name}.bin` };
  };
  const outputs = (["ctr", "cvr"] as const).map((t) =>
    put(
      t,
      "float32",
      [batch.candidates],
      Float32Array.from(ref[t]!, (v) => v + (opts.skew ?? 0)),
    ),
  );
  const inputs = batch.tensors.map((t) => put(t.name, t.dtype, t.dims, t.data));
  writeFileSync(join(p, "meta.json"), JSON.stringify({ tolerance: 1e-5, inputs, outputs }));
  return dir;
}

describe("seqlane models publish", () => {
  it("copies a model whose onnxruntime-node outputs match the exported ones into the registry", async () => {
    const registry = mkdtempSync(join(tmpdir(), "registry-"));
    const r = await publishModel(exportDir(), registry);
    expect(r.dir).toBe(join(registry, "din", "1"));
    expect(r.parity?.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    expect(existsSync(join(registry, "din", "1", "model.onnx"))).toBe(true);
    expect(JSON.parse(readFileSync(join(registry, "din", "1", "manifest.json"), "utf8")).name).toBe("din");
  });

  it("refuses a model whose outputs disagree, and publishes nothing", async () => {
    const registry = mkdtempSync(join(tmpdir(), "registry-"));
    await expect(publishModel(exportDir({ skew: 1e-3 }), registry)).rejects.toThrow(
      /differs from PyTorch by 0\.00[01]/,
    );
    expect(existsSync(join(registry, "din"))).toBe(false);
  });

  it("never overwrites a version in service", async () => {
    const registry = mkdtempSync(join(tmpdir(), "registry-"));
    await publishModel(exportDir(), registry);
    await expect(publishModel(exportDir(), registry)).rejects.toBeInstanceOf(PublishError);
  });

  it("names the manifest field at fault", async () => {
    const dir = exportDir();
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    m.tasks = ["clicks"];
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(m));
    await expect(publishModel(dir, mkdtempSync(join(tmpdir(), "registry-")))).rejects.toThrow(/tasks/);
  });

  it("requires parity files when asked", async () => {
    const fx = dinFixture({ seed: 5 });
    const dir = mkdtempSync(join(tmpdir(), "export-"));
    writeFileSync(join(dir, "model.onnx"), fx.onnx);
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(fx.manifest));
    await expect(publishModel(dir, mkdtempSync(join(tmpdir(), "registry-")), { requireParity: true })).rejects.toThrow(
      /parity/,
    );
  });
});
