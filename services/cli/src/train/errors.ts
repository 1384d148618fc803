/** The steps of a training run, in order: each progress line and each error names one. */
export type TrainStep = "venv" | "query" | "manifest" | "samples" | "fit" | "export" | "parity" | "publish";

/**
 * Why a training run stopped, at which step. `retriable`: running the same command later may
 * succeed without anyone changing anything (ClickHouse was down, fit was killed); the
 * repeatable job retries only those.
 */
export class TrainError extends Error {
  readonly retriable: boolean;
  constructor(
    readonly step: TrainStep,
    message: string,
    opts: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "TrainError";
    this.retriable = opts.retriable ?? false;
  }
}

/** The training venv's python is not there. */
export class VenvMissingError extends TrainError {
  constructor(readonly python: string) {
    super(
      "venv",
      `no training venv: ${python} does not exist (create it with \`bash training/scripts/venv.sh\`, or pass --python)`,
    );
    this.name = "VenvMissingError";
  }
}

/** Fewer labelled predictions (or no clicks, or only clicks) in the window than a model can learn from. */
export class TooFewLabelledError extends TrainError {
  constructor(
    readonly found: number,
    readonly clicked: number,
    readonly needed: number,
    readonly fromMs: number,
    readonly toMs: number,
  ) {
    const span = `${new Date(fromMs).toISOString()} .. ${new Date(toMs).toISOString()}`;
    super(
      "query",
      found < needed
        ? `too few labelled predictions in ${span}: found ${found}, need ${needed} (--min-labelled, SEQLANE_TRAIN_MIN_LABELLED); nothing published`
        : `${found} labelled predictions in ${span} but ${clicked === 0 ? "no clicks" : "only clicks"}: training needs both; nothing published`,
    );
    this.name = "TooFewLabelledError";
  }
}

/** A `python -m seqlane_train` step exited non-zero; `tail` holds its last stderr lines. */
export class PythonStepError extends TrainError {
  constructor(
    step: "manifest" | "fit",
    readonly exit: { code: number | null; signal: NodeJS.Signals | null },
    readonly tail: readonly string[],
  ) {
    const how = exit.signal !== null ? `killed by ${exit.signal}` : `exit ${exit.code}`;
    const last = tail.length === 0 ? "(no output)" : tail.join(" | ");
    // Killed (out of memory, a restart): another attempt may pass. A non-zero exit is the data or the flags.
    super(step, `python -m seqlane_train ${step} failed (${how}): ${last}; nothing published`, {
      retriable: exit.signal !== null,
    });
    this.name = "PythonStepError";
  }
}

/** onnxruntime-node disagrees with PyTorch on the exported model. */
export class ParityError extends TrainError {
  constructor(
    readonly maxAbsDiff: number,
    readonly tolerance: number,
  ) {
    super(
      "parity",
      `parity failed: onnxruntime-node differs from PyTorch by max |diff| ${maxAbsDiff} (tolerance ${tolerance}); nothing published`,
    );
    this.name = "ParityError";
  }
}
