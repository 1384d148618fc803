/** Raised at start-up when an environment variable is missing or invalid. Never retriable. */
export class ConfigError extends Error {
  readonly retriable = false;
  constructor(
    /** The environment variable at fault, e.g. `SEQLANE_KAFKA_BROKERS`. */
    readonly variable: string,
    /** Why the value was rejected, and what shape was expected. */
    readonly reason: string,
    readonly value?: string,
  ) {
    super(value === undefined ? `${variable}: ${reason}` : `${variable}=${JSON.stringify(value)}: ${reason}`);
    this.name = "ConfigError";
  }
}

/** Several configuration errors reported together, so a user fixes them all in one go. */
export class ConfigErrors extends Error {
  readonly retriable = false;
  constructor(readonly errors: readonly ConfigError[]) {
    super(
      `invalid configuration (${errors.length} problem${errors.length === 1 ? "" : "s"}):\n` +
        errors.map((e) => `  - ${e.message}`).join("\n"),
    );
    this.name = "ConfigErrors";
  }
}
