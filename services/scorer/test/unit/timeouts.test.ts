import { describe, expect, it } from "vitest";
import { HttpError } from "../../src/http/errors.js";
import { Timeouts } from "../../src/http/timeouts.js";

describe("Timeouts", () => {
  it("deadline passes the work's result or error through, and is a 504 once it takes too long", async () => {
    const t = new Timeouts({ requestTimeoutMs: 30, bodyTimeoutMs: 1000 });
    await expect(t.deadline(Promise.resolve(7))).resolves.toBe(7);
    await expect(t.deadline(Promise.reject(new RangeError("x")))).rejects.toBeInstanceOf(RangeError);
    const slow = t.deadline(new Promise((r) => setTimeout(r, 500)));
    await expect(slow).rejects.toMatchObject({ status: 504, code: "timeout" });
    await expect(slow).rejects.toBeInstanceOf(HttpError);
  });

  it("server options: headers within the body timeout, a whole-request backstop above it, checked often", () => {
    for (const body of [100, 800, 10_000, 300_000]) {
      const o = new Timeouts({ requestTimeoutMs: 1000, bodyTimeoutMs: body }).serverOptions();
      expect(o.headersTimeout).toBe(body);
      expect(o.requestTimeout).toBeGreaterThan(body);
      expect(o.connectionsCheckingInterval).toBeLessThanOrEqual(Math.max(50, body / 4));
      expect(o.connectionsCheckingInterval).toBeLessThanOrEqual(1000);
      expect(o.keepAliveTimeout).toBe(65_000);
    }
  });
});
