import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { clickhouse, load } from "@seqlane/config";
import { createWarehouse, migrate } from "@seqlane/warehouse";

const USAGE = `usage: seqlane migrate [--dir DIR] [--strict]

Applies infra/clickhouse/NNNN_*.sql to SEQLANE_CLICKHOUSE_DATABASE (default seqlane), each once,
recorded in schema_migrations exactly as infra/clickhouse/run-migrations.sh records them.

  --dir DIR   migrations folder (default: the repository's infra/clickhouse)
  --strict    fail when an applied file was edited since`;

export async function run(argv: string[]): Promise<number> {
  let a;
  try {
    a = parseArgs({
      args: argv,
      options: { dir: { type: "string" }, strict: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }).values;
  } catch (e) {
    console.error(`seqlane migrate: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  if (a.help) {
    console.log(USAGE);
    return 0;
  }
  const ch = load(clickhouse);
  const wh = createWarehouse({ url: ch.url, database: ch.database, username: ch.user, password: ch.password });
  try {
    const dir = a.dir ?? fileURLToPath(new URL("../../../../infra/clickhouse", import.meta.url));
    const r = await migrate(wh, { dir, strict: a.strict ?? false, log: (l) => console.log(l) });
    for (const f of r.edited) console.error(`warning: ${f} was edited after it was applied; add a new file instead`);
    console.log(
      `migrations: ${r.applied.length + r.skipped.length} files, ${r.applied.length} applied now, ${r.skipped.length} already applied`,
    );
    return 0;
  } finally {
    await wh.close();
  }
}
