import { CorruptStateError } from "../errors.js";
import { DedupSet } from "../state/dedup.js";
import { SequenceBuffer } from "../state/buffer.js";
import type { UserState } from "../state/state.js";
import { SEQUENCE_NAMES } from "../types.js";
import { DEDUP_ENTRY_BYTES, DICT_ENTRY_BYTES, FORMAT_VERSION, HEADER_BYTES, RECORD_BYTES } from "./layout.js";

const slack = (n: number): number => n + Math.max(8, n >> 3);

/** Unpacks a state written by encodeState. `userId` only labels errors. */
export function decodeState(buf: Uint8Array, userId?: string): UserState {
  if (buf.byteLength < HEADER_BYTES) throw new CorruptStateError(userId, `${buf.byteLength} bytes is shorter than the header`);
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const version = v.getUint8(0);
  if (version !== FORMAT_VERSION) throw new CorruptStateError(userId, `format version ${version} is not ${FORMAT_VERSION}`);
  if (v.getUint8(1) !== SEQUENCE_NAMES.length) throw new CorruptStateError(userId, `holds ${v.getUint8(1)} sequences, expected ${SEQUENCE_NAMES.length}`);
  const D = v.getUint16(2, true);
  const F = v.getUint16(24, true);
  const lengths = SEQUENCE_NAMES.map((_, i) => v.getUint16(26 + 2 * i, true));
  const total = lengths.reduce((a, b) => a + b, 0);
  const want = HEADER_BYTES + D * DICT_ENTRY_BYTES + F * DEDUP_ENTRY_BYTES + total * RECORD_BYTES;
  if (buf.byteLength !== want) throw new CorruptStateError(userId, `is ${buf.byteLength} bytes, its header describes ${want}`);

  const dict = new Uint32Array(6 * D);
  let o = HEADER_BYTES;
  for (let col = 0; col < 3; col++) {
    for (let k = 0; k < D; k++, o += 8) {
      dict[6 * k + 2 * col] = v.getUint32(o, true);
      dict[6 * k + 2 * col + 1] = v.getUint32(o + 4, true);
    }
  }
  const dedup = new DedupSet(slack(F));
  for (let k = 0; k < F; k++, o += 8) {
    dedup.fp[2 * k] = v.getUint32(o, true);
    dedup.fp[2 * k + 1] = v.getUint32(o + 4, true);
  }
  o = readTimes(v, o, dedup.ts, F);
  dedup.length = F;

  const seqs = lengths.map((n) => {
    const s = new SequenceBuffer(slack(n));
    for (let k = 0; k < n; k++, o += 2) {
      const e = v.getUint16(o, true);
      if (e >= D) throw new CorruptStateError(userId, `record refers to dictionary entry ${e} of ${D}`);
      const x = 6 * e;
      s.item[2 * k] = dict[x]!;
      s.item[2 * k + 1] = dict[x + 1]!;
      s.category[2 * k] = dict[x + 2]!;
      s.category[2 * k + 1] = dict[x + 3]!;
      s.brand[2 * k] = dict[x + 4]!;
      s.brand[2 * k + 1] = dict[x + 5]!;
    }
    o = readTimes(v, o, s.ts, n);
    for (let k = 0; k < n; k++) s.type[k] = v.getUint8(o++);
    s.length = n;
    return s;
  });
  return {
    revision: v.getUint32(4, true),
    maxTs: v.getFloat64(8, true),
    floorTs: v.getFloat64(16, true),
    seqs,
    dedup,
  };
}

function readTimes(v: DataView, o: number, ts: Float64Array, n: number): number {
  for (let k = 0; k < n; k++, o += 4) ts[k] = v.getUint32(o, true) * 1000;
  for (let k = 0; k < n; k++, o += 2) ts[k] = ts[k]! + v.getUint16(o, true);
  return o;
}
