import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { TensorData } from "@seqlane/features";
import ort from "onnxruntime-node";
import { openSession, type ExecutionProvider, type SessionConfig } from "./open.js";

/** One float32 output of a run. */
export interface RunOutput {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/**
 * Where session.run happens. onnxruntime-node runs inference synchronously on the calling thread,
 * so the inline runner blocks the event loop for the length of each run; the worker runner keeps
 * the session in a worker thread and only copies tensors across.
 */
export interface SessionRunner {
  readonly provider: ExecutionProvider;
  readonly skipped: readonly { provider: ExecutionProvider; reason: string }[];
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: readonly TensorData[]): Promise<Record<string, RunOutput>>;
  release(): Promise<void>;
  /** False once the runner can no longer run (its worker died); the registry then reloads the version. */
  readonly alive: boolean;
}

/** Message of the worker protocol (worker.ts). */
export type WorkerReply =
  | {
      readonly kind: "ready";
      readonly provider: ExecutionProvider;
      readonly skipped: SessionRunner["skipped"];
      readonly inputNames: string[];
      readonly outputNames: string[];
    }
  | { readonly kind: "failed"; readonly error: string }
  | { readonly kind: "result"; readonly id: number; readonly outputs: Record<string, RunOutput> }
  | { readonly kind: "error"; readonly id: number; readonly error: string };

/** ort outputs -> float32 results; anything else is a contract violation of the manifest. */
export function toOutputs(out: Record<string, ort.Tensor>): Record<string, RunOutput> {
  const res: Record<string, RunOutput> = {};
  for (const [name, t] of Object.entries(out)) {
    if (!(t.data instanceof Float32Array)) throw new Error(`output ${name} is ${t.type}, expected float32`);
    res[name] = { data: t.data, dims: t.dims };
  }
  return res;
}

export async function openInlineRunner(model: string | Uint8Array, config: SessionConfig): Promise<SessionRunner> {
  const { session, provider, skipped } = await openSession(model, config);
  return {
    provider,
    skipped,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const f: Record<string, ort.Tensor> = {};
      for (const t of feeds) f[t.name] = new ort.Tensor(t.dtype, t.data, t.dims);
      return toOutputs(await session.run(f));
    },
    release: () => session.release(),
    alive: true,
  };
}

/** worker.js beside this file; from sources (tests) the compiled one under dist/. */
function workerUrl(): URL {
  const url = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(url))) return url;
  return new URL(url.href.replace("/src/session/", "/dist/session/"));
}

export async function openWorkerRunner(model: string | Uint8Array, config: SessionConfig): Promise<SessionRunner> {
  const worker = new Worker(workerUrl(), { workerData: { model, config } });
  const pending = new Map<number, { resolve(o: Record<string, RunOutput>): void; reject(e: Error): void }>();
  let nextId = 0;
  let dead: Error | undefined;
  const ready = await new Promise<Extract<WorkerReply, { kind: "ready" }>>((resolve, reject) => {
    worker.once("message", (m: WorkerReply) =>
      m.kind === "ready" ? resolve(m) : reject(new Error(m.kind === "failed" ? m.error : "worker: unexpected message")),
    );
    worker.once("error", reject);
  }).catch(async (e: unknown) => {
    await worker.terminate();
    throw e;
  });
  const failAll = (e: Error) => {
    dead = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on("message", (m: WorkerReply) => {
    if (m.kind !== "result" && m.kind !== "error") return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.kind === "result") p?.resolve(m.outputs);
    else p?.reject(new Error(m.error));
  });
  worker.on("error", (e) => failAll(e));
  worker.on("exit", (code) => failAll(new Error(`inference worker exited (code ${code})`)));
  return {
    get alive() {
      return dead === undefined;
    },
    provider: ready.provider,
    skipped: ready.skipped,
    inputNames: ready.inputNames,
    outputNames: ready.outputNames,
    run(feeds) {
      if (dead !== undefined) return Promise.reject(dead);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // Copied (not transferred): the builder reuses its buffers for the next batch.
        worker.postMessage({
          id,
          feeds: feeds.map((t) => ({ name: t.name, dtype: t.dtype, dims: t.dims, data: t.data })),
        });
      });
    },
    async release() {
      if (dead !== undefined) return; // already gone
      // Let the worker free the native session and exit; terminate only if it does not.
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage({ release: true });
      const timer = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A runner per `config.worker`: in a worker thread (default) or on the calling thread. */
export function openRunner(model: string | Uint8Array, config: SessionConfig = {}): Promise<SessionRunner> {
  return (config.worker ?? true) ? openWorkerRunner(model, config) : openInlineRunner(model, config);
}
