import { describe, expect, it } from "vitest";
import { HttpError } from "../../src/http/errors.js";
import { LoadShedder } from "../../src/http/load-shedder.js";

function refusal(fn: () => unknown): HttpError | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof HttpError) return e;
    throw e;
  }
  return undefined;
}

describe("LoadShedder", () => {
  it("admits rows up to the bound and refuses beyond it with 503 + Retry-After, counted by reason", () => {
    const shed: unknown[] = [];
    let pending = 0;
    const s = new LoadShedder({
      maxQueuedRows: 100,
      maxInflightBytes: 1000,
      pendingRows: () => pending,
      shed: { add: (_n, attrs) => void shed.push(attrs) },
    });
    const a = s.admitRows(60);
    expect(s.admittedRows).toBe(60);
    const e = refusal(() => s.admitRows(41));
    expect([e?.status, e?.code, e?.retryAfterS]).toEqual([503, "overloaded", 1]);
    expect(s.admittedRows).toBe(60); // a refusal admits nothing
    const b = s.admitRows(40);
    expect(refusal(() => s.checkRows(1))?.status).toBe(503);
    a();
    a(); // releasing twice releases once
    expect(s.admittedRows).toBe(40);
    // Rows of timed-out requests still in a batcher count too.
    pending = 95;
    expect(refusal(() => s.checkRows(6))?.status).toBe(503);
    expect(refusal(() => s.checkRows(5))).toBeUndefined();
    b();
    expect(shed).toEqual([{ reason: "rows" }, { reason: "rows" }, { reason: "rows" }]);
  });

  it("reserves body bytes up to the bound; a refusal reserves nothing", () => {
    const s = new LoadShedder({ maxQueuedRows: 1, maxInflightBytes: 1000, pendingRows: () => 0 });
    s.reserveBytes(600);
    s.reserveBytes(400);
    expect(s.inflightBytes).toBe(1000);
    const e = refusal(() => s.reserveBytes(1));
    expect([e?.status, e?.code, e?.retryAfterS]).toEqual([503, "overloaded", 1]);
    expect(s.inflightBytes).toBe(1000);
    s.releaseBytes(600);
    expect(refusal(() => s.reserveBytes(600))).toBeUndefined();
    expect(s.inflightBytes).toBe(1000);
  });
});
