import { id64Into } from "@seqlane/events";
import {
  BEHAVIOUR_CODES,
  EMPTY_SEQUENCES,
  type BehaviourType,
  type SequenceBlock,
  type UserSequences,
} from "@seqlane/sequences";

export interface Rec {
  item: string;
  cat: string;
  brand?: string;
  type?: BehaviourType;
  ts: number;
}

/** A SequenceBlock from records given oldest first. */
export function block(recs: readonly Rec[]): SequenceBlock {
  const n = recs.length;
  const b = {
    length: n,
    item: new Uint32Array(2 * n),
    category: new Uint32Array(2 * n),
    brand: new Uint32Array(2 * n),
    type: new Uint8Array(n),
    ts: new Float64Array(n),
  };
  recs.forEach((r, i) => {
    id64Into(r.item, b.item, 2 * i);
    id64Into(r.cat, b.category, 2 * i);
    if (r.brand !== undefined) id64Into(r.brand, b.brand, 2 * i);
    b.type[i] = BEHAVIOUR_CODES[r.type ?? "click"];
    b.ts[i] = r.ts;
  });
  return b;
}

export function seqs(parts: Partial<Record<keyof UserSequences, readonly Rec[]>>): UserSequences {
  const out: Record<string, SequenceBlock> = { ...EMPTY_SEQUENCES };
  for (const [k, v] of Object.entries(parts)) out[k] = block(v);
  return out as UserSequences;
}
