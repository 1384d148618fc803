import { describe, expect, it } from "vitest";
import { packBatch, unpackBatch } from "../../src/process/worker-protocol.js";

describe("worker batch packing", () => {
  it("round-trips values (tombstones and empty values included) with indices for offsets", () => {
    const big = Buffer.alloc(64, 1);
    // values as kafkajs hands them: views into one larger buffer
    const messages = [
      { key: Buffer.from("a"), value: big.subarray(3, 10), offset: "100", timestamp: "1767225600000" },
      { key: null, value: null, offset: "101" },
      { key: null, value: Buffer.alloc(0), offset: "105" },
      { key: Buffer.from("b"), value: Buffer.from('{"x":"é"}'), offset: "106" },
    ];
    const packed = packBatch(messages);
    expect(packed.data.byteLength).toBe(7 + 0 + 0 + Buffer.byteLength('{"x":"é"}'));
    const out = unpackBatch(packed.data, packed.ends, packed.nulls, packed.timestamps);
    expect(out.map((m) => m.offset)).toEqual(["0", "1", "2", "3"]);
    // the Kafka timestamp (what "in the future" is judged against) crosses too; absent stays absent
    expect(out.map((m) => m.timestamp)).toEqual(["1767225600000", undefined, undefined, undefined]);
    expect(out[1]!.value).toBeNull();
    out.forEach((m, i) => {
      const want = messages[i]!.value;
      if (want !== null) expect(Buffer.compare(m.value!, want)).toBe(0);
    });
  });
  it("an empty batch packs to nothing", () => {
    const p = packBatch([]);
    expect(p.data.byteLength).toBe(0);
    expect(unpackBatch(p.data, p.ends, p.nulls, p.timestamps)).toEqual([]);
  });
});
