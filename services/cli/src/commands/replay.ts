import { parseArgs } from "node:util";
import { ingest as ingestSpec, load } from "@seqlane/config";
import { loadSpec } from "@seqlane/sequences";
import { replayFile } from "../replay/replay-file.js";

const USAGE = `usage: seqlane replay --in EVENTS.jsonl --out SEQUENCES.jsonl [--spec SPEC.json] [--lateness MS]

Rebuilds every user's sequences from an ordered event file (Kafka order) with the same
validation and apply() as services/ingest, and writes one JSON line per user:
{"user_id", "sequences": {"<name>": {"item_id": [], "category_id": [], "type": [], "ts": []}}}
Ids print as docs/ids.md says (decimal, or # + 16 hex digits for hashed ids).
Defaults come from SEQLANE_SEQUENCE_SPEC and SEQLANE_ALLOWED_LATENESS_MS, as for ingest.`;

export async function run(argv: string[]): Promise<number> {
  let a;
  try {
    a = parseArgs({ args: argv, options: { in: { type: "string" }, out: { type: "string" }, spec: { type: "string" }, lateness: { type: "string" }, help: { type: "boolean", short: "h" } } }).values;
  } catch (e) {
    console.error(`seqlane replay: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  if (a.help) {
    console.log(USAGE);
    return 0;
  }
  if (a.in === undefined || a.out === undefined) {
    console.error(`seqlane replay: --in and --out are required\n\n${USAGE}`);
    return 2;
  }
  const cfg = load(ingestSpec);
  const lateness = a.lateness === undefined ? cfg.allowedLatenessMs : Number(a.lateness);
  if (!Number.isInteger(lateness) || lateness < 0) {
    console.error(`seqlane replay: --lateness must be a non-negative integer (ms), got ${JSON.stringify(a.lateness)}`);
    return 2;
  }
  const spec = loadSpec(a.spec ?? cfg.sequenceSpecPath);
  const s = await replayFile(a.in, a.out, spec, { allowedLatenessMs: lateness, maxEventBytes: cfg.maxEventBytes });
  console.error(
    `seqlane replay: ${s.lines} lines, ${s.users} users, applied ${s.applied}, duplicate ${s.duplicate}, late ${s.late}, invalid ${JSON.stringify(s.invalid)}`,
  );
  return 0;
}
