import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createWarehouse, migrate, readMigrations, sql } from "../../src/index.js";
import { CLICKHOUSE_URL, MIGRATIONS, freshDatabase } from "./helpers.js";

const run = promisify(execFile);

describe("migrate", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup) await c();
  });

  it("is idempotent and reruns a file whose record is missing (interrupted run)", async () => {
    const db = await freshDatabase("mig");
    cleanup.push(() => db.drop());
    const files = await readMigrations(MIGRATIONS);
    const again = await migrate(db.wh, { dir: MIGRATIONS });
    expect(again.applied).toEqual([]);
    expect(again.skipped.length).toBe(files.length);
    // Losing the records (a run that died before recording) must rerun every file cleanly.
    await db.wh.command(sql`DROP TABLE schema_migrations`);
    const rerun = await migrate(db.wh, { dir: MIGRATIONS });
    expect(rerun.applied.length).toBe(files.length);
    const tables = await db.wh.query<{ name: string }>(
      sql`SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name`,
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        "events",
        "events_rejected",
        "predictions",
        "outcomes",
        "model_eval",
        "events_dedup",
        "predictions_dedup",
        "outcomes_dedup",
        "model_eval_latest",
        "schema_migrations",
      ]),
    );
  });

  it("interoperates with infra/clickhouse/run-migrations.sh on the seqlane database", async () => {
    const script = fileURLToPath(new URL("../../../../infra/clickhouse/run-migrations.sh", import.meta.url));
    const { stdout } = await run("bash", [script], { env: { ...process.env, SEQLANE_CLICKHOUSE_URL: CLICKHOUSE_URL } });
    expect(stdout).toMatch(/already applied/);
    const wh = createWarehouse({ url: CLICKHOUSE_URL, database: "seqlane" });
    cleanup.push(() => wh.close());
    const r = await migrate(wh, { dir: MIGRATIONS, strict: true });
    expect(r.applied).toEqual([]);
    expect(r.edited).toEqual([]);
    const rows = await wh.query<{ version: number; name: string; checksum: string }>(
      sql`SELECT version, name, checksum FROM schema_migrations ORDER BY version`,
    );
    const files = await readMigrations(MIGRATIONS);
    expect(rows.map((x) => [Number(x.version), x.name, x.checksum])).toEqual(
      files.map((f) => [f.version, f.name, f.checksum]),
    );
  });
});
