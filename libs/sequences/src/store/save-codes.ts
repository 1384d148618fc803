import { CorruptStateError } from "../errors.js";
import type { SaveStatus } from "./store.js";

/** Maps lua/save_state.lua's return codes to outcomes and errors: the one place that does. */
export function saveOutcome(code: unknown, userId: string): SaveStatus {
  switch (code) {
    case 1:
      return "saved";
    case 0:
      return "conflict";
    case -1:
      throw new CorruptStateError(userId, "stored value is not a packed state of format version 1");
    default:
      throw new TypeError(`save_state.lua returned ${JSON.stringify(code)}`);
  }
}
