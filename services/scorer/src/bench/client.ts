/**
 * Load generator for bench.ts, run in a worker thread so that the client's HTTP work does not
 * share the scorer's event loop (it still shares the CPU cores).
 */
import { Agent, request } from "node:http";
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

/**
 * One POST over a keep-alive agent. node:http rather than fetch: undici's fetch costs about a
 * millisecond of client CPU per request here, which on 2 shared cores capped the measured
 * scorer throughput at the client's speed (the scorer's event loop sat ~45 % idle).
 */
function post(agent: Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: "/v1/score",
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.on("data", () => {});
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function run(job: ClientJob): Promise<ClientResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const url = new URL(job.url);
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
        const status = await post(agent, url, body);
        if (status === 200) latencies.push(performance.now() - t);
        else errors++;
        r += job.concurrency;
      }
    }),
  );
  agent.destroy();
  return { latencies, errors, wallMs: performance.now() - t0 };
}

if (parentPort !== null && workerData !== undefined) {
  const port = parentPort;
  void run(workerData as ClientJob).then((r) => port.postMessage(r));
}
