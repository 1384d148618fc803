import { formatId64 } from "@seqlane/events";
import type { UserState } from "../state/state.js";
import { BEHAVIOUR_CODES, SEQUENCE_NAMES } from "../types.js";
import type { BehaviourType, SequenceName } from "../types.js";

/** One sequence as readable JSON: ids printed per docs/ids.md (decimal or `#hex`), oldest first. */
export interface ReadableSequence {
  item_id: string[];
  category_id: string[];
  type: BehaviourType[];
  ts: number[];
}

/** A user's line in `seqlane replay`'s output. */
export interface ReadableUser {
  user_id: string;
  sequences: Record<SequenceName, ReadableSequence>;
}

const TYPE_NAMES: BehaviourType[] = [];
for (const [name, code] of Object.entries(BEHAVIOUR_CODES)) TYPE_NAMES[code] = name as BehaviourType;

export function readableUser(userId: string, state: UserState): ReadableUser {
  const sequences = {} as Record<SequenceName, ReadableSequence>;
  SEQUENCE_NAMES.forEach((name, i) => {
    const s = state.seqs[i]!;
    const r: ReadableSequence = { item_id: [], category_id: [], type: [], ts: [] };
    for (let p = s.start, e = s.start + s.length; p < e; p++) {
      r.item_id.push(formatId64(s.item[2 * p]!, s.item[2 * p + 1]!));
      r.category_id.push(formatId64(s.category[2 * p]!, s.category[2 * p + 1]!));
      r.type.push(TYPE_NAMES[s.type[p]!]!);
      r.ts.push(s.ts[p]!);
    }
    sequences[name] = r;
  });
  return { user_id: userId, sequences };
}
