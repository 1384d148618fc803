import { SEQUENCE_NAMES } from "../types.js";
import type { UserState } from "../state/state.js";
import { Interner } from "./interner.js";
import {
  DEDUP_WIDE_FLAG,
  FORMAT_VERSION,
  HEADER_BYTES,
  NARROW_DEDUP_SPAN_S,
  dedupBytes,
  dictBytes,
  seqBytes,
} from "./layout.js";

// Scratch reused across calls (the encoder runs once per user per batch).
const cats = new Interner(2);
const brands = new Interner(2);
const items = new Interner(4);
let recIdx = new Uint16Array(1024);

const NARROW_SPAN = 4294967295;

/**
 * Packs a state (see layout.ts) with the given revision in its header. Throws RangeError on a
 * state the format cannot hold (more than 65535 records): a spec bug, not a data problem.
 */
export function encodeState(state: UserState, revision: number): Buffer {
  let total = 0;
  for (const s of state.seqs) total += s.length;
  if (total > 65_535) throw new RangeError(`state holds ${total} records, the format holds 65535`);
  cats.reset(total);
  brands.reset(total);
  items.reset(total);
  if (recIdx.length < total) recIdx = new Uint16Array(total);
  let r = 0;
  for (const s of state.seqs) {
    for (let p = s.start, e = s.start + s.length; p < e; p++, r++) {
      const c = cats.intern(s.category[2 * p]!, s.category[2 * p + 1]!);
      const b = brands.intern(s.brand[2 * p]!, s.brand[2 * p + 1]!);
      recIdx[r] = items.intern(s.item[2 * p]!, s.item[2 * p + 1]!, c, b);
    }
  }
  const C = cats.count;
  const B = brands.count;
  const I = items.count;
  const F = state.dedup.length;
  const dd = state.dedup;
  let wideFlags =
    F > 0 && dd.ts[dd.start + F - 1]! / 1000 - dd.ts[dd.start]! / 1000 > NARROW_DEDUP_SPAN_S ? DEDUP_WIDE_FLAG : 0;
  const idFlags = (narrow(cats, C, 2) ? 1 : 0) | (narrow(brands, B, 2) ? 2 : 0) | (narrow(items, I, 4) ? 4 : 0);
  let bytes =
    HEADER_BYTES +
    dictBytes(C, (idFlags & 1) !== 0) +
    dictBytes(B, (idFlags & 2) !== 0) +
    dictBytes(I, (idFlags & 4) !== 0, 4) +
    dedupBytes(F, wideFlags !== 0);
  state.seqs.forEach((s, i) => {
    const wide = s.length > 0 && s.ts[s.start + s.length - 1]! - Math.floor(s.ts[s.start]! / 1000) * 1000 > NARROW_SPAN;
    if (wide) wideFlags |= 1 << i;
    bytes += seqBytes(s.length, wide);
  });
  const buf = Buffer.allocUnsafe(bytes);
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  v.setUint8(0, FORMAT_VERSION);
  v.setUint8(1, SEQUENCE_NAMES.length);
  v.setUint16(2, I, true);
  v.setUint32(4, revision >>> 0, true);
  v.setFloat64(8, state.maxTs, true);
  v.setFloat64(16, state.floorTs, true);
  v.setUint16(24, F, true);
  state.seqs.forEach((s, i) => v.setUint16(26 + 2 * i, s.length, true));
  v.setUint16(36, C, true);
  v.setUint16(38, B, true);
  v.setUint8(40, wideFlags);
  v.setUint8(41, idFlags);
  let o = HEADER_BYTES;
  o = writeIds(v, o, cats.values, C, 2, (idFlags & 1) !== 0);
  o = writeIds(v, o, brands.values, B, 2, (idFlags & 2) !== 0);
  o = writeIds(v, o, items.values, I, 4, (idFlags & 4) !== 0);
  for (let k = 0; k < I; k++, o += 2) v.setUint16(o, items.values[4 * k + 2]!, true);
  for (let k = 0; k < I; k++, o += 2) v.setUint16(o, items.values[4 * k + 3]!, true);
  for (let p = dd.start, e = dd.start + F; p < e; p++, o += 8) {
    v.setUint32(o, dd.fp[2 * p]!, true);
    v.setUint32(o + 4, dd.fp[2 * p + 1]!, true);
  }
  // DedupSet keeps whole seconds already (see dedup.ts), so this is exact.
  if (F > 0 && wideFlags & DEDUP_WIDE_FLAG) {
    for (let p = dd.start, e = dd.start + F; p < e; p++, o += 4) v.setUint32(o, dd.ts[p]! / 1000, true);
  } else if (F > 0) {
    const base = dd.ts[dd.start]! / 1000;
    v.setUint32(o, base, true);
    o += 4;
    for (let p = dd.start, e = dd.start + F; p < e; p++, o += 2) v.setUint16(o, dd.ts[p]! / 1000 - base, true);
  }
  r = 0;
  state.seqs.forEach((s, i) => {
    const n = s.length;
    if (n === 0) return;
    for (let k = 0; k < n; k++, o += 2) v.setUint16(o, recIdx[r + k]!, true);
    for (let p = s.start, e = s.start + n; p < e; p++) v.setUint8(o++, s.type[p]!);
    const ts = s.ts;
    if (wideFlags & (1 << i)) {
      for (let p = s.start, e = s.start + n; p < e; p++, o += 4) v.setUint32(o, Math.floor(ts[p]! / 1000), true);
      for (let p = s.start, e = s.start + n; p < e; p++, o += 2) v.setUint16(o, ts[p]! % 1000, true);
    } else {
      const baseSec = Math.floor(ts[s.start]! / 1000);
      v.setUint32(o, baseSec, true);
      o += 4;
      const base = baseSec * 1000;
      for (let p = s.start, e = s.start + n; p < e; p++, o += 4) v.setUint32(o, ts[p]! - base, true);
    }
    r += n;
  });
  return buf;
}

/** Whether every id of an interner (first two words of each tuple) has a zero high word. */
function narrow(d: Interner, n: number, stride: number): boolean {
  for (let k = 0; k < n; k++) if (d.values[stride * k + 1] !== 0) return false;
  return true;
}

function writeIds(v: DataView, o: number, d: Uint32Array, n: number, stride: number, narrowIds: boolean): number {
  for (let k = 0; k < n; k++) {
    v.setUint32(o, d[stride * k]!, true);
    o += 4;
    if (!narrowIds) {
      v.setUint32(o, d[stride * k + 1]!, true);
      o += 4;
    }
  }
  return o;
}
