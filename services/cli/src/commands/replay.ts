import { parseCommand } from "../args.js";
import { clickhouse, ingest as ingestSpec, load } from "@seqlane/config";
import { createWarehouse } from "@seqlane/warehouse";
import { readFileSync } from "node:fs";
import { validateManifest } from "@seqlane/models";
import { loadSpec, type SequenceSpec } from "@seqlane/sequences";
import { samplesFromFile } from "../samples/samples-file.js";
import { clickhouseEvents } from "../replay/clickhouse-events.js";
import { replayEvents, replayFile } from "../replay/replay-file.js";

const USAGE = `usage: seqlane replay --in EVENTS.jsonl --out SEQUENCES.jsonl [--spec SPEC.json] [--lateness MS]
       seqlane replay --from-clickhouse --out SEQUENCES.jsonl [--spec SPEC.json] [--lateness MS]
       seqlane replay --in EVENTS.jsonl --samples DIR --manifest MANIFEST.json [--max-rows N]

Rebuilds every user's sequences from an ordered event file (Kafka order) with the same
validation and apply() as services/ingest, and writes one JSON line per user:
{"user_id", "sequences": {"<name>": {"item_id": [], "category_id": [], "type": [], "ts": []}}}
--from-clickhouse reads the recorded events table (SEQLANE_CLICKHOUSE_*) in Kafka
partition/offset order, which is each user's stream order.
Ids print as docs/ids.md says (decimal, or # + 16 hex digits for hashed ids).
With --samples, writes training samples instead (docs/samples.md): one row per exposure with
the tensors the scorer would build for that user at that moment, and click/cart/purchase labels.
Defaults come from SEQLANE_SEQUENCE_SPEC and SEQLANE_ALLOWED_LATENESS_MS, as for ingest.`;

export async function run(argv: string[]): Promise<number> {
  const a = parseCommand(
    "replay",
    argv,
    {
      in: { type: "string" },
      "from-clickhouse": { type: "boolean" },
      out: { type: "string" },
      spec: { type: "string" },
      lateness: { type: "string" },
      samples: { type: "string" },
      manifest: { type: "string" },
      "max-rows": { type: "string" },
    },
    USAGE,
  );
  if (typeof a === "number") return a;
  const fromClickHouse = a["from-clickhouse"] === true;
  if ((a.in === undefined) === !fromClickHouse || (a.out === undefined) === (a.samples === undefined)) {
    console.error(
      `seqlane replay: one of --in or --from-clickhouse, and exactly one of --out or --samples, are required\n\n${USAGE}`,
    );
    return 2;
  }
  if (fromClickHouse && a.samples !== undefined) {
    console.error(`seqlane replay: --samples reads an event file (--in); export the events first\n\n${USAGE}`);
    return 2;
  }
  const cfg = load(ingestSpec);
  const lateness = a.lateness === undefined ? cfg.allowedLatenessMs : Number(a.lateness);
  if (!Number.isInteger(lateness) || lateness < 0) {
    console.error(`seqlane replay: --lateness must be a non-negative integer (ms), got ${JSON.stringify(a.lateness)}`);
    return 2;
  }
  const spec = loadSpec(a.spec ?? cfg.sequenceSpecPath);
  if (a.samples !== undefined && a.in !== undefined)
    return writeSamples(a.in, a.samples, a.manifest, a["max-rows"], spec, lateness, cfg.maxEventBytes);
  if (a.out === undefined) return 2;
  const opts = { allowedLatenessMs: lateness, maxEventBytes: cfg.maxEventBytes };
  let s;
  if (fromClickHouse) {
    const ch = load(clickhouse);
    const wh = createWarehouse({ url: ch.url, database: ch.database, username: ch.user, password: ch.password });
    try {
      s = await replayEvents(clickhouseEvents(wh), a.out, spec, opts);
    } finally {
      await wh.close();
    }
  } else s = await replayFile(a.in!, a.out, spec, opts);
  console.error(
    `seqlane replay: ${s.lines} lines, ${s.users} users, applied ${s.applied}, duplicate ${s.duplicate}, late ${s.late}, invalid ${JSON.stringify(s.invalid)}`,
  );
  return 0;
}

async function writeSamples(
  input: string,
  dir: string,
  manifestPath: string | undefined,
  maxRowsArg: string | undefined,
  spec: SequenceSpec,
  lateness: number,
  maxEventBytes: number,
): Promise<number> {
  if (manifestPath === undefined) {
    console.error(`seqlane replay: --samples needs --manifest\n\n${USAGE}`);
    return 2;
  }
  const maxRows = maxRowsArg === undefined ? undefined : Number(maxRowsArg);
  if (maxRows !== undefined && (!Number.isInteger(maxRows) || maxRows < 1)) {
    console.error(`seqlane replay: --max-rows must be a positive integer, got ${JSON.stringify(maxRowsArg)}`);
    return 2;
  }
  const manifest = validateManifest(JSON.parse(readFileSync(manifestPath, "utf8")), manifestPath);
  const s = await samplesFromFile(input, dir, manifest, spec, {
    allowedLatenessMs: lateness,
    maxEventBytes,
    ...(maxRows ? { maxRows } : {}),
  });
  console.error(
    `seqlane replay: ${s.rows} samples in ${dir} (positives ${JSON.stringify(s.positives)}, invalid lines ${s.invalid})`,
  );
  return 0;
}
