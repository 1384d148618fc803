import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RoutingState } from "@seqlane/contracts";
import { RoutingConflictError, RoutingError } from "../errors.js";
import { checkRouting } from "./state.js";

/** The routing file of a model: `<registry>/<model>/routing.json`. */
export const ROUTING_FILE = "routing.json";

export const routingPath = (registry: string, model: string): string => join(registry, model, ROUTING_FILE);

/** A routing state as read, with its exact text (to detect a concurrent change before replacing it). */
export interface RoutingRead {
  readonly state: RoutingState | undefined;
  /** The file's text; undefined when there is no file. */
  readonly text: string | undefined;
}

/** Reads and checks a model's routing.json; `state` undefined when there is none. Throws RoutingError when invalid. */
export async function readRouting(registry: string, model: string): Promise<RoutingRead> {
  const file = routingPath(registry, model);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { state: undefined, text: undefined };
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RoutingError(
      [{ path: "$", problem: `not valid JSON (${e instanceof Error ? e.message : String(e)})` }],
      file,
    );
  }
  return { state: checkRouting(value, file), text };
}

/**
 * Replaces a model's routing.json atomically: the state is checked, written to a temporary file
 * beside it and renamed over it, so a polling scorer reads the old or the new file, never half
 * of one. With `previous` (what `readRouting` gave), the write is refused with
 * RoutingConflictError when the file changed since: two deciders never silently overwrite each
 * other (the check and the rename are not one atomic step; the window between them is tiny).
 * Returns the text written.
 */
export async function writeRouting(
  registry: string,
  model: string,
  state: RoutingState,
  previous?: RoutingRead,
): Promise<string> {
  const file = routingPath(registry, model);
  const text = JSON.stringify(checkRouting(state, file), null, 2) + "\n";
  const tmp = join(registry, model, `.routing-${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  await writeFile(tmp, text, { flag: "wx" });
  try {
    if (previous !== undefined) {
      const now = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
        if (e.code === "ENOENT") return undefined;
        throw e;
      });
      if (now !== previous.text) throw new RoutingConflictError(file);
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return text;
}
