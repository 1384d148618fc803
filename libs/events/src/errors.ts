/** Root of every error libs/events raises. `retriable` tells callers whether trying again can help. */
export class EventsError extends Error {
  readonly retriable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EventsError";
  }
}

/** Why a message was rejected (the event contract's kinds, libs/contracts). */
export type { RejectKind } from "@seqlane/contracts";
import type { RejectKind } from "@seqlane/contracts";

/** A message that does not satisfy the event contract. Never retriable: the same bytes fail again. */
export class EventValidationError extends EventsError {
  constructor(
    readonly kind: RejectKind,
    /** The field at fault (`$` for the whole message). */
    readonly field: string,
    /** What is wrong with the value and what shape was expected. */
    readonly reason: string,
  ) {
    super(`${kind}: ${field}: ${reason}`);
    this.name = "EventValidationError";
  }
}
