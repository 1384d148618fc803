import { describe, expect, it } from "vitest";
import { canonicalId, formatId64, id64, id64BigInt } from "../../src/index.js";

function fnvRef(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(s)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

function rnd(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 4294967296;
}

describe("id64 (docs/ids.md)", () => {
  it("keeps decimal ids below 2^63 as their value", () => {
    expect(id64BigInt("0")).toBe(0n);
    expect(id64BigInt("123")).toBe(123n);
    expect(id64BigInt("4294967296")).toBe(4294967296n);
    expect(id64BigInt("9007199254740993")).toBe(9007199254740993n);
    expect(id64BigInt("9223372036854775807")).toBe(9223372036854775807n);
  });

  it("hashes other strings with FNV-1a-64 and the top bit set", () => {
    for (const s of ["9223372036854775808", "007", "-1", "item-42", "", "ünïcödé", "a".repeat(128), "12a", "1e3"]) {
      expect(id64BigInt(s)).toBe(fnvRef(s) | (1n << 63n));
    }
  });

  it("matches the BigInt reference on random strings (property)", () => {
    const r = rnd(7);
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(r() * 40);
      let s = "";
      for (let j = 0; j < len; j++)
        s += String.fromCharCode(r() < 0.9 ? 32 + Math.floor(r() * 95) : 0xa0 + Math.floor(r() * 3000));
      const want = /^(0|[1-9][0-9]{0,18})$/.test(s) && BigInt(s) < 1n << 63n ? BigInt(s) : fnvRef(s) | (1n << 63n);
      expect(id64BigInt(s)).toBe(want);
    }
  });

  it("prints numeric ids back unchanged and hashed ids as #hex", () => {
    for (const s of ["0", "17", "4294967297", "9223372036854775807", "18014398509481984"]) {
      const { lo, hi } = id64(s);
      expect(formatId64(lo, hi)).toBe(s);
    }
    const { lo, hi } = id64("item-42");
    expect(formatId64(lo, hi)).toBe("#" + (fnvRef("item-42") | (1n << 63n)).toString(16));
  });

  it("canonicalises integers to decimal strings and refuses other values", () => {
    expect(canonicalId(123)).toBe("123");
    expect(canonicalId("abc")).toBe("abc");
    expect(canonicalId(-1)).toBeUndefined();
    expect(canonicalId(1.5)).toBeUndefined();
    expect(canonicalId(true)).toBeUndefined();
  });
});
