/** Root of every error libs/sequences raises; `retriable` says whether trying again can help. */
export class SequencesError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "SequencesError";
    this.retriable = options.retriable ?? false;
  }
}

/** A sequence spec (JSON) that does not validate; names the path and the expected shape. */
export class SpecError extends SequencesError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`sequence spec ${path}: ${reason}`);
    this.name = "SpecError";
  }
}

/** A stored blob that cannot be decoded (unknown version byte, truncated). Not retriable. */
export class CorruptStateError extends SequencesError {
  constructor(
    readonly userId: string | undefined,
    reason: string,
  ) {
    super(`packed sequence state${userId === undefined ? "" : ` of user ${JSON.stringify(userId)}`}: ${reason}`);
    this.name = "CorruptStateError";
  }
}

/** Redis could not be reached or failed a command; retriable. */
export class StoreUnavailableError extends SequencesError {
  constructor(message: string, cause: unknown) {
    super(message, { retriable: true, cause });
    this.name = "StoreUnavailableError";
  }
}
