import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { MigrationError } from "../errors.js";

/** One numbered migration file, parsed exactly as infra/clickhouse/run-migrations.sh parses it. */
export interface MigrationFile {
  readonly version: number;
  /** The part after `NNNN_`, without `.sql` (what the shell runner records). */
  readonly name: string;
  readonly file: string;
  /** sha256 of the file's bytes, hex (the shell runner's `sha256sum`). */
  readonly checksum: string;
  readonly statements: readonly string[];
}

const FILE = /^(\d{4})_([A-Za-z0-9_]+)\.sql$/;

/**
 * Splits SQL into statements on lines ending with `;` after dropping whole-line `--`
 * comments; a trailing statement without `;` counts too. Same rule as the shell runner.
 */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let buf: string[] = [];
  const flush = (): void => {
    const stmt = buf.join("\n").replace(/;\s*$/, "");
    if (/\S/.test(stmt)) out.push(stmt);
    buf = [];
  };
  for (const line of text.split("\n")) {
    if (/^\s*--/.test(line)) continue;
    buf.push(line);
    if (/;\s*$/.test(line)) flush();
  }
  flush();
  return out;
}

/** Reads `dir`'s NNNN_name.sql files in version order; other files are ignored. */
export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => FILE.test(n)).sort();
  const out: MigrationFile[] = [];
  const seen = new Map<number, string>();
  for (const file of names) {
    const m = FILE.exec(file);
    if (!m) continue;
    const version = Number(m[1]);
    const other = seen.get(version);
    if (other !== undefined) throw new MigrationError(file, `version ${version} is also used by ${other}`);
    seen.set(version, file);
    const bytes = await readFile(join(dir, file));
    out.push({
      version,
      name: m[2] ?? "",
      file,
      checksum: createHash("sha256").update(bytes).digest("hex"),
      statements: splitStatements(bytes.toString("utf8")),
    });
  }
  return out;
}
