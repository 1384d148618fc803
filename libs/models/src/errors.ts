/**
 * Root error of libs/models. `retriable` says whether trying the same thing again may work
 * (a half-written model file: yes; an invalid manifest: not until it changes).
 */
export class ModelError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** One problem of a manifest: the field (JSON path like `slots[0].max_len`) and what is wrong. */
export interface ManifestIssue {
  readonly path: string;
  readonly problem: string;
}

/** A manifest that fails its schema or semantic checks; names every bad field. */
export class ManifestError extends ModelError {
  constructor(
    readonly issues: readonly ManifestIssue[],
    readonly file?: string,
  ) {
    super(
      `invalid manifest${file ? ` ${file}` : ""}: ${issues.map((i) => `${i.path || "(root)"}: ${i.problem}`).join("; ")}`,
    );
  }
}

/** A routing.json that fails its schema (routing.v1) or the rules beside it; names every bad field. */
export class RoutingError extends ModelError {
  constructor(
    readonly issues: readonly ManifestIssue[],
    readonly file?: string,
  ) {
    super(
      `invalid routing${file ? ` ${file}` : ""}: ${issues.map((i) => `${i.path || "(root)"}: ${i.problem}`).join("; ")}`,
    );
  }
}

/** routing.json changed between reading it and replacing it: someone else decided meanwhile. */
export class RoutingConflictError extends ModelError {
  constructor(readonly file: string) {
    super(`${file} changed while this update was being made; read it again and redo the change`);
  }
}

/** A model version that could not be loaded, warmed up or checked. */
export class ModelLoadError extends ModelError {
  constructor(
    readonly model: string,
    readonly version: string,
    readonly stage: "read" | "manifest" | "session" | "inputs" | "warmup" | "check",
    message: string,
    options: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super(`${model}/${version} ${stage}: ${message}`, options);
  }
}

/** A session.run that failed; every request of that batch gets it. */
export class InferenceError extends ModelError {
  constructor(
    readonly model: string,
    readonly version: string,
    readonly rows: number,
    cause: unknown,
  ) {
    super(
      `${model}/${version}: inference over ${rows} rows failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        retriable: true,
        cause,
      },
    );
  }
}
