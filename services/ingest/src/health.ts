import { createServer } from "node:http";
import type { Server } from "node:http";
import type { IngestStats } from "./create-ingest.js";

/**
 * `/healthz` (200 while consuming, 503 otherwise) and `/metrics` (the consumer's counters in
 * Prometheus text format; OpenTelemetry exporters carry the full set) on SEQLANE_INGEST_METRICS_PORT.
 */
export function startHealthServer(port: number, stats: () => Readonly<IngestStats>, healthy: () => boolean): Server {
  return createServer((req, res) => {
    if (req.url === "/healthz") {
      const ok = healthy();
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: ok ? "ok" : "stopping", ...stats() }));
    } else if (req.url === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(
        Object.entries(stats())
          .map(([k, v]) => `# TYPE seqlane_ingest_${k}_total counter\nseqlane_ingest_${k}_total ${v}`)
          .join("\n") + "\n",
      );
    } else {
      res.writeHead(404).end();
    }
  }).listen(port, "0.0.0.0");
}
