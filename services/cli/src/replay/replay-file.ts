import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { parseEvent } from "@seqlane/events";
import type { ParseResult, RejectKind } from "@seqlane/events";
import { createReplayer, readableUser } from "@seqlane/sequences";
import type { ApplyOptions, ReplayCounts, SequenceSpec } from "@seqlane/sequences";

export interface ReplaySummary extends ReplayCounts {
  lines: number;
  users: number;
  invalid: Partial<Record<RejectKind, number>>;
}

/**
 * Validated events of an ordered JSON-lines file ("-": standard input), blank lines skipped.
 * `maxBytes` undefined: the event contract's limit (parseEvent's default).
 */
async function* fileEvents(input: string, maxBytes: number | undefined): AsyncGenerator<ParseResult> {
  const rl = createInterface({ input: input === "-" ? process.stdin : createReadStream(input), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim() !== "") yield parseEvent(line, { maxBytes });
}

/**
 * Replays an ordered JSON-lines event file through the same validation and apply() as the
 * consumer and writes one readable line per user (in order of first appearance).
 */
export function replayFile(
  input: string,
  output: string,
  spec: SequenceSpec,
  opts: ApplyOptions & { maxEventBytes?: number },
): Promise<ReplaySummary> {
  return replayEvents(fileEvents(input, opts.maxEventBytes), output, spec, opts);
}

/** Replays validated events in stream order (any source) and writes one readable line per user. */
export async function replayEvents(
  source: AsyncIterable<ParseResult>,
  output: string,
  spec: SequenceSpec,
  opts: ApplyOptions,
): Promise<ReplaySummary> {
  const rep = createReplayer(spec, opts);
  const invalid: Partial<Record<RejectKind, number>> = {};
  let lines = 0;
  for await (const r of source) {
    lines++;
    if (!r.ok) {
      invalid[r.error.kind] = (invalid[r.error.kind] ?? 0) + 1;
      continue;
    }
    rep.push(r.event);
  }
  const out = output === "-" ? process.stdout : createWriteStream(output);
  for (const [user, state] of rep.states) {
    if (!out.write(JSON.stringify(readableUser(user, state)) + "\n")) await once(out, "drain");
  }
  if (out !== process.stdout)
    await new Promise<void>((res, rej) =>
      (out as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? rej(e) : res())),
    );
  return { ...rep.counts, lines, users: rep.states.size, invalid };
}
