import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { PythonStepError, TrainError, VenvMissingError } from "./errors.js";

export interface PythonRun {
  /** Everything the step printed on stdout (fit prints one JSON line of results). */
  readonly stdout: string;
}

/** Lines of stderr kept for the error message of a failed step. */
const TAIL = 8;

/**
 * Runs `python -m seqlane_train <step> ...args`, passing each stderr line (fit's epoch and
 * step lines) to `onLine` as it comes. Resolves with stdout on exit 0; rejects with a
 * PythonStepError carrying the last stderr lines otherwise.
 */
export function runSeqlaneTrain(
  python: string,
  step: "manifest" | "fit",
  args: readonly string[],
  onLine: (line: string) => void,
): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ["-m", "seqlane_train", step, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      // Lines as they happen, not when a buffer fills.
      env: { ...process.env, PYTHONUNBUFFERED: "1" },
    });
    const tail: string[] = [];
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    const lines = createInterface({ input: child.stderr, crlfDelay: Infinity });
    lines.on("line", (line) => {
      if (line.trim() === "") return;
      tail.push(line.trim());
      if (tail.length > TAIL) tail.shift();
      onLine(line);
    });
    // A failed spawn emits "error" (and maybe "close" after it): the first settles the promise.
    child.on("error", (e: NodeJS.ErrnoException) =>
      reject(e.code === "ENOENT" ? new VenvMissingError(python) : new TrainError(step, e.message, { cause: e })),
    );
    child.on("close", (code, signal) => {
      if (code === 0) resolve({ stdout });
      else reject(new PythonStepError(step, { code, signal }, tail));
    });
  });
}
