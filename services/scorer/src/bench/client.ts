/**
 * Load generator for bench.ts, run in a worker thread so that the client's HTTP work does not
 * share the scorer's event loop (it still shares the CPU cores).
 */
import { parentPort, workerData } from "node:worker_threads";

export interface ClientJob {
  readonly url: string;
  readonly model: string;
  readonly concurrency: number;
  readonly seconds: number;
  readonly candidates: number;
  readonly users: number;
}

export interface ClientResult {
  readonly latencies: number[];
  readonly errors: number;
  readonly wallMs: number;
}

/** Candidate list of request number r (stable, spread over 50k items and 200 categories). */
export function candidatesOf(r: number, n: number): { item_id: number; category_id: number }[] {
  return Array.from({ length: n }, (_, i) => ({
    item_id: 1 + ((r * 7919 + i * 104729) % 50_000),
    category_id: 1 + (i % 200),
  }));
}

async function run(job: ClientJob): Promise<ClientResult> {
  const latencies: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.concurrency }, async (_, w) => {
      let r = w;
      while (performance.now() < end) {
        const body = JSON.stringify({
          user_id: `bench-user-${r % job.users}`,
          candidates: candidatesOf(r, job.candidates),
          model: job.model,
        });
        const t = performance.now();
        const res = await fetch(`${job.url}/v1/score`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        await res.arrayBuffer();
        if (res.status === 200) latencies.push(performance.now() - t);
        else errors++;
        r += job.concurrency;
      }
    }),
  );
  return { latencies, errors, wallMs: performance.now() - t0 };
}

if (parentPort !== null && workerData !== undefined) {
  const port = parentPort;
  void run(workerData as ClientJob).then((r) => port.postMessage(r));
}
