import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import ort from "onnxruntime-node";
import type { InferenceSession } from "onnxruntime-node";

export type ExecutionProvider = "cuda" | "cpu";

/** How ONNX Runtime sessions are created. */
export interface SessionConfig {
  /** Providers in order of preference; the first that creates a session wins. Default ["cuda", "cpu"]. */
  readonly executionProviders?: readonly ExecutionProvider[];
  /** Intra-op threads (0 or absent: runtime default). */
  readonly intraOpThreads?: number;
  /** Inter-op threads (0 or absent: runtime default). */
  readonly interOpThreads?: number;
  /**
   * Let idle intra-op threads spin-wait for the next run. Default false: in a service the event
   * loop shares the cores with those threads, and spinning between runs starves it (measured: 3x
   * lower throughput with micro-batching on 2 cores).
   */
  readonly allowSpinning?: boolean;
  /**
   * Run the session in a worker thread (default true). onnxruntime-node's run is synchronous on
   * the calling thread; inline, each run blocks the service's event loop (HTTP, Redis, timers).
   */
  readonly worker?: boolean;
}

export interface OpenedSession {
  readonly session: InferenceSession;
  /** The provider the session really runs on. */
  readonly provider: ExecutionProvider;
  /** Providers tried before it, with why they failed (e.g. cuda on a CPU-only build). */
  readonly skipped: readonly { provider: ExecutionProvider; reason: string }[];
}

/**
 * Providers that failed to create any session in this process (e.g. cuda on a CPU-only build):
 * not retried for later models, which would only repeat the failure and its log noise.
 */
const unavailable = new Map<ExecutionProvider, string>();

/**
 * Why `cuda` cannot work in this install, if that is visible without trying: onnxruntime-node
 * loads the CUDA provider from a shared library beside its binding, which installs without the
 * CUDA download lack. Trying anyway would work the same but log an ORT error per model.
 */
function cudaMissing(): string | undefined {
  try {
    if (process.platform !== "linux") return undefined;
    const main = createRequire(import.meta.url).resolve("onnxruntime-node");
    const dir = join(dirname(main), "..", "bin", "napi-v6", process.platform, process.arch);
    if (!existsSync(dir)) return undefined; // unknown layout: just try
    if (!existsSync(join(dir, "libonnxruntime_providers_cuda.so")))
      return `CUDA provider library not installed (${join(dir, "libonnxruntime_providers_cuda.so")})`;
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Creates a session trying one provider at a time, so the provider in use is known for sure
 * (a list given to ONNX Runtime at once may fall back silently).
 */
export async function openSession(model: string | Uint8Array, config: SessionConfig = {}): Promise<OpenedSession> {
  const providers = config.executionProviders ?? ["cuda", "cpu"];
  const skipped: { provider: ExecutionProvider; reason: string }[] = [];
  for (const provider of providers) {
    const known = unavailable.get(provider) ?? (provider === "cuda" ? cudaMissing() : undefined);
    if (known !== undefined) {
      skipped.push({ provider, reason: known });
      continue;
    }
    const options: InferenceSession.SessionOptions = {
      executionProviders: [provider],
      graphOptimizationLevel: "all",
      logSeverityLevel: 3,
      extra: {
        session: {
          intra_op: { allow_spinning: config.allowSpinning ? "1" : "0" },
          inter_op: { allow_spinning: config.allowSpinning ? "1" : "0" },
        },
      },
    };
    if (config.intraOpThreads) options.intraOpNumThreads = config.intraOpThreads;
    if (config.interOpThreads) options.interOpNumThreads = config.interOpThreads;
    try {
      const session =
        typeof model === "string"
          ? await ort.InferenceSession.create(model, options)
          : await ort.InferenceSession.create(model, options);
      // The model is fine (this provider opened it), so the ones before failed for themselves.
      for (const s of skipped) unavailable.set(s.provider, s.reason);
      return { session, provider, skipped };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const short = reason.split("\n")[0]!.slice(0, 300);
      skipped.push({ provider, reason: short });
    }
  }
  throw new Error(
    `no execution provider could open the model: ${skipped.map((s) => `${s.provider}: ${s.reason}`).join("; ")}`,
  );
}
