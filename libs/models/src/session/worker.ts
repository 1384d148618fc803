/**
 * Inference worker thread: owns one ONNX Runtime session, answers run requests from the main
 * thread (protocol in runner.ts). Keeps the event loop of the service free while a batch runs.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { TensorData } from "@seqlane/features";
import ort from "onnxruntime-node";
import { openSession, type SessionConfig } from "./open.js";
import { toOutputs, type WorkerReply } from "./runner.js";

const port = parentPort!;
const { model, config } = workerData as { model: string | Uint8Array; config: SessionConfig };
const reply = (m: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

try {
  const { session, provider, skipped } = await openSession(model, config);
  port.on("message", (m: { id: number; feeds: TensorData[] } | { release: true }) => {
    if ("release" in m) {
      void session.release().finally(() => port.close());
      return;
    }
    const feeds: Record<string, ort.Tensor> = {};
    for (const t of m.feeds) feeds[t.name] = new ort.Tensor(t.dtype, t.data, t.dims);
    session.run(feeds).then(
      (out) => {
        const outputs = toOutputs(out);
        reply(
          { kind: "result", id: m.id, outputs },
          // Outputs may share one buffer; a transfer list must not repeat it.
          [...new Set(Object.values(outputs).map((o) => o.data.buffer as ArrayBuffer))],
        );
      },
      (e: unknown) => reply({ kind: "error", id: m.id, error: e instanceof Error ? e.message : String(e) }),
    );
  });
  reply({
    kind: "ready",
    provider,
    skipped,
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
  });
} catch (e) {
  reply({ kind: "failed", error: e instanceof Error ? e.message : String(e) });
}
