import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ConsumerHealth, startHealthServer } from "../../src/index.js";

describe("health endpoint", () => {
  it("listens on loopback unless told otherwise, 200 while healthy and 503 with the reason when not", async () => {
    let healthy = true;
    const server = await startHealthServer({
      port: 0,
      health: () => (healthy ? { healthy, status: "consuming" } : { healthy, status: "crashed", reason: "boom" }),
      counters: () => ({ messages: 3 }),
      prefix: "seqlane_x",
    });
    try {
      const { address, port } = server.address() as AddressInfo;
      expect(address).toBe("127.0.0.1");
      const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
      expect((await get("/healthz")).status).toBe(200);
      healthy = false;
      const r = await get("/healthz");
      expect(r.status).toBe(503);
      expect(await r.json()).toEqual({ healthy: false, status: "crashed", reason: "boom" });
      expect(await (await get("/metrics")).text()).toContain("seqlane_x_messages_total 3");
      expect((await get("/other")).status).toBe(404);
    } finally {
      server.close();
    }
  });
});

describe("ConsumerHealth", () => {
  it("is unhealthy before joining, once retrying past the limit, after a crash for good, and when stopped", () => {
    let now = 0;
    const h = new ConsumerHealth(1000, () => now);
    expect(h.report().healthy).toBe(false);
    h.set("consuming");
    expect(h.report()).toMatchObject({ healthy: true, status: "consuming" });
    h.set("retrying", "redis down");
    now = 500;
    h.set("retrying", "redis down again"); // the first retry's time is kept
    expect(h.report().healthy).toBe(true);
    now = 1500;
    expect(h.report()).toMatchObject({ healthy: false, status: "retrying", reason: "redis down" });
    h.batchDone();
    expect(h.report()).toMatchObject({ healthy: true, status: "consuming", lastBatchAt: 1500 });
    h.set("crashed", "fatal");
    h.set("consuming"); // a crash for good is not undone by a late event
    h.batchDone();
    expect(h.report()).toMatchObject({ healthy: false, status: "crashed" });
    h.set("stopped");
    expect(h.report().healthy).toBe(false);
  });
});
