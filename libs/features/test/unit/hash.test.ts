import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { id64BigInt } from "@seqlane/events";
import { bucket, bucketOfId64, rawId64Into } from "../../src/index.js";
import { mod64, mul64, out64 } from "../../src/hash/mul64.js";

interface Vector {
  raw: string;
  id64: string;
  buckets: Record<string, number>;
}
const file = JSON.parse(readFileSync(new URL("../../test-vectors/hash-vectors.json", import.meta.url), "utf8")) as {
  bucket_sizes: number[];
  vectors: Vector[];
};

describe("hash vectors (docs/ids.md)", () => {
  it("covers the required sizes and kinds of ids", () => {
    expect(file.bucket_sizes).toEqual([2, 1000, 100000, 2147483647]);
    expect(file.vectors.length).toBeGreaterThan(50);
  });
  for (const v of file.vectors) {
    it(`id64 and buckets of ${JSON.stringify(v.raw.slice(0, 24))}`, () => {
      expect(id64BigInt(v.raw).toString()).toBe(v.id64);
      for (const b of file.bucket_sizes) {
        const id = BigInt(v.id64);
        expect(bucket(Number(id & 0xffffffffn), Number(id >> 32n), b)).toBe(v.buckets[String(b)]);
      }
    });
  }
  it("numbers canonicalise to their decimal string", () => {
    const a = new Uint32Array(4);
    for (const n of [0, 123, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      rawId64Into(n, a, 0);
      rawId64Into(String(n), a, 2);
      expect([a[0], a[1]]).toEqual([a[2], a[3]]);
      expect((BigInt(a[1]!) << 32n) | BigInt(a[0]!)).toBe(id64BigInt(String(n)));
    }
  });
});

const M64 = (1n << 64n) - 1n;
function rnd64(seed: { s: number }): bigint {
  const next = () => (seed.s = (Math.imul(seed.s, 1664525) + 1013904223) >>> 0);
  return (BigInt(next()) << 32n) | BigInt(next());
}

describe("32-bit arithmetic equals BigInt (property)", () => {
  it("mul64 and mod64 on random operands", () => {
    const seed = { s: 7 };
    for (let i = 0; i < 5000; i++) {
      const a = rnd64(seed);
      const b = rnd64(seed);
      mul64(Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n));
      expect((BigInt(out64[1]!) << 32n) | BigInt(out64[0]!)).toBe((a * b) & M64);
      const m = Number(b & 0xffffffffn) || 1;
      expect(mod64(Number(a & 0xffffffffn), Number(a >> 32n), m)).toBe(Number(a % BigInt(m)));
    }
  });
  it("bucket is in [1, B) and bucket(0, B) = 1", () => {
    const seed = { s: 99 };
    for (let i = 0; i < 2000; i++) {
      const b = 2 + (Number(rnd64(seed) & 0xffffffn) % 1_000_000);
      const v = bucketOfId64(rnd64(seed), b);
      expect(v).toBeGreaterThanOrEqual(1);
      expect(v).toBeLessThan(b);
    }
    expect(bucket(0, 0, 1000)).toBe(1);
  });
});
