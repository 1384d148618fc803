import { fnv1a64Into, id64Into } from "@seqlane/events";
import type { BehaviourEvent } from "@seqlane/events";
import type { RecordFields } from "../state/buffer.js";
import { BEHAVIOUR_CODES } from "../types.js";

/** An event reduced to what apply() needs: hashed ids, type code, source, time. */
export interface SequenceEvent extends RecordFields {
  /** FNV-1a-64 of event_id, the dedup fingerprint. */
  readonly fpLo: number;
  readonly fpHi: number;
  readonly device: boolean;
}

const scratch = new Uint32Array(8);

/** Hashes an event's ids once (id64 per docs/ids.md; brand 0 when absent). */
export function prepareEvent(ev: BehaviourEvent): SequenceEvent {
  fnv1a64Into(ev.event_id, scratch, 0);
  id64Into(ev.item_id, scratch, 2);
  id64Into(ev.category_id, scratch, 4);
  if (ev.brand_id === undefined) {
    scratch[6] = 0;
    scratch[7] = 0;
  } else id64Into(ev.brand_id, scratch, 6);
  return {
    fpLo: scratch[0]!,
    fpHi: scratch[1]!,
    itemLo: scratch[2]!,
    itemHi: scratch[3]!,
    catLo: scratch[4]!,
    catHi: scratch[5]!,
    brandLo: scratch[6]!,
    brandHi: scratch[7]!,
    type: BEHAVIOUR_CODES[ev.type],
    ts: ev.ts,
    device: ev.source === "device",
  };
}
