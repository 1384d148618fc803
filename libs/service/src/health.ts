import { createServer, type Server } from "node:http";

/** What a service says about itself on /healthz. */
export interface HealthStatus {
  readonly healthy: boolean;
  readonly status: string;
  readonly [detail: string]: unknown;
}

export interface HealthServerOptions {
  readonly port: number;
  /** Default 127.0.0.1 (SEQLANE_HEALTH_HOST); 0.0.0.0 where a probe comes from outside the host (Kubernetes). */
  readonly host?: string;
  readonly health: () => HealthStatus;
  /** Counters for /metrics in Prometheus text, name -> value (OpenTelemetry exporters carry the full set). */
  readonly counters?: () => Readonly<Record<string, number>>;
  /** Prefix of the /metrics names, e.g. `seqlane_ingest`. */
  readonly prefix?: string;
}

/**
 * `/healthz`: 200 and the status while healthy, 503 and the status (with the reason) otherwise;
 * `/metrics`: the counters. Resolves once listening; `server.address()` has the port when 0 was given.
 */
export async function startHealthServer(o: HealthServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === "/healthz") {
      const h = o.health();
      res.writeHead(h.healthy ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify(h));
    } else if (req.url === "/metrics" && o.counters) {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      const p = o.prefix ?? "seqlane";
      res.end(
        Object.entries(o.counters())
          .map(([k, v]) => `# TYPE ${p}_${k}_total counter\n${p}_${k}_total ${v}`)
          .join("\n") + "\n",
      );
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host ?? "127.0.0.1", () => resolve());
  });
  return server;
}
