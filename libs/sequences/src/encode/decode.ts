import { CorruptStateError } from "../errors.js";
import { DedupSet } from "../state/dedup.js";
import { SequenceBuffer } from "../state/buffer.js";
import type { UserState } from "../state/state.js";
import { SEQUENCE_NAMES } from "../types.js";
import { DEDUP_WIDE_FLAG, FORMAT_VERSION, HEADER_BYTES, dedupBytes, dictBytes, seqBytes } from "./layout.js";

const slack = (n: number): number => (n === 0 ? 0 : n + Math.max(8, n >> 3));

/** Unpacks a state written by encodeState. `userId` only labels errors. */
export function decodeState(buf: Uint8Array, userId?: string): UserState {
  if (buf.byteLength < HEADER_BYTES)
    throw new CorruptStateError(userId, `${buf.byteLength} bytes is shorter than the header`);
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const version = v.getUint8(0);
  if (version !== FORMAT_VERSION)
    throw new CorruptStateError(userId, `format version ${version} is not ${FORMAT_VERSION}`);
  if (v.getUint8(1) !== SEQUENCE_NAMES.length)
    throw new CorruptStateError(userId, `holds ${v.getUint8(1)} sequences, expected ${SEQUENCE_NAMES.length}`);
  const I = v.getUint16(2, true);
  const F = v.getUint16(24, true);
  const C = v.getUint16(36, true);
  const B = v.getUint16(38, true);
  const wide = v.getUint8(40);
  const ids = v.getUint8(41);
  const [nc, nb, ni] = [(ids & 1) !== 0, (ids & 2) !== 0, (ids & 4) !== 0];
  const lengths = SEQUENCE_NAMES.map((_, i) => v.getUint16(26 + 2 * i, true));
  let want =
    HEADER_BYTES +
    dictBytes(C, nc) +
    dictBytes(B, nb) +
    dictBytes(I, ni, 4) +
    dedupBytes(F, (wide & DEDUP_WIDE_FLAG) !== 0);
  lengths.forEach((n, i) => (want += seqBytes(n, (wide & (1 << i)) !== 0)));
  if (buf.byteLength !== want)
    throw new CorruptStateError(userId, `is ${buf.byteLength} bytes, its header describes ${want}`);

  // items expanded to (item, category, brand) as 6 uint32 per entry
  const catAt = HEADER_BYTES;
  const brandAt = catAt + dictBytes(C, nc);
  let o = brandAt + dictBytes(B, nb);
  const cw = nc ? 4 : 8;
  const bw = nb ? 4 : 8;
  const iw = ni ? 4 : 8;
  const idxAt = o + I * iw;
  const dict = new Uint32Array(6 * I);
  for (let k = 0; k < I; k++) {
    dict[6 * k] = v.getUint32(o + iw * k, true);
    dict[6 * k + 1] = ni ? 0 : v.getUint32(o + iw * k + 4, true);
    const ci = v.getUint16(idxAt + 2 * k, true);
    const bi = v.getUint16(idxAt + 2 * I + 2 * k, true);
    if (ci >= C || bi >= B)
      throw new CorruptStateError(userId, `item entry refers to category ${ci} of ${C} or brand ${bi} of ${B}`);
    dict[6 * k + 2] = v.getUint32(catAt + cw * ci, true);
    dict[6 * k + 3] = nc ? 0 : v.getUint32(catAt + cw * ci + 4, true);
    dict[6 * k + 4] = v.getUint32(brandAt + bw * bi, true);
    dict[6 * k + 5] = nb ? 0 : v.getUint32(brandAt + bw * bi + 4, true);
  }
  o = idxAt + 4 * I;
  const dedup = new DedupSet(slack(F));
  for (let k = 0; k < F; k++, o += 8) {
    dedup.fp[2 * k] = v.getUint32(o, true);
    dedup.fp[2 * k + 1] = v.getUint32(o + 4, true);
  }
  if (F > 0 && wide & DEDUP_WIDE_FLAG) {
    for (let k = 0; k < F; k++, o += 4) dedup.ts[k] = v.getUint32(o, true) * 1000;
  } else if (F > 0) {
    const base = v.getUint32(o, true);
    o += 4;
    for (let k = 0; k < F; k++, o += 2) dedup.ts[k] = (base + v.getUint16(o, true)) * 1000;
  }
  dedup.length = F;

  const seqs = lengths.map((n, i) => {
    const s = new SequenceBuffer(slack(n));
    if (n === 0) return s;
    for (let k = 0; k < n; k++, o += 2) {
      const e = v.getUint16(o, true);
      if (e >= I) throw new CorruptStateError(userId, `record refers to item entry ${e} of ${I}`);
      const x = 6 * e;
      s.item[2 * k] = dict[x]!;
      s.item[2 * k + 1] = dict[x + 1]!;
      s.category[2 * k] = dict[x + 2]!;
      s.category[2 * k + 1] = dict[x + 3]!;
      s.brand[2 * k] = dict[x + 4]!;
      s.brand[2 * k + 1] = dict[x + 5]!;
    }
    for (let k = 0; k < n; k++) s.type[k] = v.getUint8(o++);
    if (wide & (1 << i)) {
      for (let k = 0; k < n; k++, o += 4) s.ts[k] = v.getUint32(o, true) * 1000;
      for (let k = 0; k < n; k++, o += 2) s.ts[k] = s.ts[k]! + v.getUint16(o, true);
    } else {
      const base = v.getUint32(o, true) * 1000;
      o += 4;
      for (let k = 0; k < n; k++, o += 4) s.ts[k] = base + v.getUint32(o, true);
    }
    s.length = n;
    return s;
  });
  return { revision: v.getUint32(4, true), maxTs: v.getFloat64(8, true), floorTs: v.getFloat64(16, true), seqs, dedup };
}
