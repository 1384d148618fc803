import { SEQUENCE_NAMES } from "../types.js";
import type { UserState } from "../state/state.js";
import { DEDUP_ENTRY_BYTES, DICT_ENTRY_BYTES, FORMAT_VERSION, HEADER_BYTES, RECORD_BYTES } from "./layout.js";

// Dictionary building scratch, reused across calls (the encoder runs once per user per batch).
let table = new Int32Array(1024);
let dict = new Uint32Array(6 * 256);
let recIdx = new Uint16Array(1024);

function mix(a: number, b: number, c: number, d: number, e: number, f: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35) ^ c;
  h = Math.imul(h ^ (h >>> 13), 0x85ebca6b) ^ d;
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35) ^ e;
  h = Math.imul(h ^ (h >>> 15), 0x27d4eb2f) ^ f;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Packs a state (see layout.ts) with the given revision in its header. Throws RangeError on a
 * state the format cannot hold (more than 65535 records): a spec bug, not a data problem.
 */
export function encodeState(state: UserState, revision: number): Buffer {
  let total = 0;
  for (const s of state.seqs) total += s.length;
  if (total > 65_535) throw new RangeError(`state holds ${total} records, the format holds 65535`);
  let size = 1;
  while (size < total * 2) size <<= 1;
  if (table.length < size) table = new Int32Array(size);
  else table.fill(0, 0, size);
  if (dict.length < total * 6) dict = new Uint32Array(total * 6);
  if (recIdx.length < total) recIdx = new Uint16Array(total);
  const mask = size - 1;
  let d = 0;
  let r = 0;
  for (const s of state.seqs) {
    for (let p = s.start, e = s.start + s.length; p < e; p++, r++) {
      const a = s.item[2 * p]!, b = s.item[2 * p + 1]!;
      const c = s.category[2 * p]!, cc = s.category[2 * p + 1]!;
      const f = s.brand[2 * p]!, g = s.brand[2 * p + 1]!;
      let slot = mix(a, b, c, cc, f, g) & mask;
      for (;;) {
        const v = table[slot]!;
        if (v === 0) {
          const o = 6 * d;
          dict[o] = a; dict[o + 1] = b; dict[o + 2] = c; dict[o + 3] = cc; dict[o + 4] = f; dict[o + 5] = g;
          table[slot] = ++d;
          recIdx[r] = d - 1;
          break;
        }
        const o = 6 * (v - 1);
        if (dict[o] === a && dict[o + 1] === b && dict[o + 2] === c && dict[o + 3] === cc && dict[o + 4] === f && dict[o + 5] === g) {
          recIdx[r] = v - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }
  const F = state.dedup.length;
  const bytes = HEADER_BYTES + d * DICT_ENTRY_BYTES + F * DEDUP_ENTRY_BYTES + total * RECORD_BYTES;
  const buf = Buffer.allocUnsafe(bytes);
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  v.setUint8(0, FORMAT_VERSION);
  v.setUint8(1, SEQUENCE_NAMES.length);
  v.setUint16(2, d, true);
  v.setUint32(4, revision >>> 0, true);
  v.setFloat64(8, state.maxTs, true);
  v.setFloat64(16, state.floorTs, true);
  v.setUint16(24, F, true);
  state.seqs.forEach((s, i) => v.setUint16(26 + 2 * i, s.length, true));
  v.setUint32(36, 0, true);
  let o = HEADER_BYTES;
  for (let col = 0; col < 3; col++) {
    for (let k = 0; k < d; k++, o += 8) {
      v.setUint32(o, dict[6 * k + 2 * col]!, true);
      v.setUint32(o + 4, dict[6 * k + 2 * col + 1]!, true);
    }
  }
  const dd = state.dedup;
  for (let p = dd.start, e = dd.start + F; p < e; p++, o += 8) {
    v.setUint32(o, dd.fp[2 * p]!, true);
    v.setUint32(o + 4, dd.fp[2 * p + 1]!, true);
  }
  o = writeTimes(v, o, dd.ts, dd.start, F);
  r = 0;
  for (const s of state.seqs) {
    const n = s.length;
    for (let k = 0; k < n; k++, o += 2) v.setUint16(o, recIdx[r + k]!, true);
    o = writeTimes(v, o, s.ts, s.start, n);
    for (let p = s.start, e = s.start + n; p < e; p++) v.setUint8(o++, s.type[p]!);
    r += n;
  }
  return buf;
}

/** Times as u32 epoch seconds then u16 milliseconds (integer ms >= 0 by validation). */
function writeTimes(v: DataView, o: number, ts: Float64Array, start: number, n: number): number {
  for (let p = start, e = start + n; p < e; p++, o += 4) v.setUint32(o, Math.floor(ts[p]! / 1000), true);
  for (let p = start, e = start + n; p < e; p++, o += 2) v.setUint16(o, ts[p]! % 1000, true);
  return o;
}
