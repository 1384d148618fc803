import { MigrationError, WarehouseError } from "../errors.js";
import { ident, lit, qualified, sql, trusted } from "../sql/builder.js";
import type { Warehouse } from "../client/warehouse.js";
import { readMigrations } from "./files.js";

/** What `migrate` did. */
export interface MigrateResult {
  readonly applied: readonly string[];
  readonly skipped: readonly string[];
  /** Applied files whose contents changed since (warned, or thrown when `strict`). */
  readonly edited: readonly string[];
}

export interface MigrateOptions {
  /** Folder of NNNN_name.sql files (infra/clickhouse). */
  readonly dir: string;
  /** Fail when an applied file was edited. Default false (warn via `edited`), as the shell runner. */
  readonly strict?: boolean;
  /** Called with a line per applied file. */
  readonly log?: (line: string) => void;
}

/**
 * The files name their tables `seqlane.<table>` (the shell runner sends no database). To
 * apply them to another database (tests use one each), that qualifier is rewritten.
 */
export function retarget(statement: string, database: string): string {
  return database === "seqlane" ? statement : statement.replace(/\bseqlane\./g, `${ident(database).text}.`);
}

/**
 * Applies pending migrations to `wh.database`, recording each in `schema_migrations` exactly
 * as infra/clickhouse/run-migrations.sh does (version, name, sha256 checksum, applied_at),
 * so either runner can follow the other. A file is recorded after all its statements
 * succeeded; the DDL is `IF NOT EXISTS`, so a file interrupted half-way reruns cleanly.
 */
export async function migrate(wh: Warehouse, options: MigrateOptions): Promise<MigrateResult> {
  const files = await readMigrations(options.dir);
  const table = qualified(wh.database, "schema_migrations");
  await wh.createDatabase();
  await wh.command(
    sql`CREATE TABLE IF NOT EXISTS ${table} (version UInt32, name String, checksum String, applied_at DateTime) ENGINE = MergeTree ORDER BY version`,
  );
  const rows = await wh.query<{ version: number | string; checksum: string }>(
    sql`SELECT version, checksum FROM ${table}`,
  );
  const applied = new Map(rows.map((r) => [Number(r.version), r.checksum]));
  const result = { applied: [] as string[], skipped: [] as string[], edited: [] as string[] };
  for (const f of files) {
    const sum = applied.get(f.version);
    if (sum !== undefined) {
      result.skipped.push(f.file);
      if (sum !== f.checksum) {
        if (options.strict)
          throw new MigrationError(
            f.file,
            "was edited after it was applied (checksum differs); add a new file instead",
          );
        result.edited.push(f.file);
      }
      continue;
    }
    for (const [i, stmt] of f.statements.entries()) {
      try {
        await wh.command(trusted(retarget(stmt, wh.database)));
      } catch (e) {
        if (e instanceof WarehouseError && e.retriable) throw e;
        throw new MigrationError(f.file, `statement ${i + 1} failed`, e);
      }
    }
    await wh.command(
      sql`INSERT INTO ${table} (version, name, checksum, applied_at) VALUES (${lit(f.version)}, ${lit(f.name)}, ${lit(f.checksum)}, now())`,
    );
    result.applied.push(f.file);
    options.log?.(`applied ${f.file} (${f.statements.length} statements)`);
  }
  return result;
}
