import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readMigrations, retarget, splitStatements } from "../../src/index.js";

const dir = fileURLToPath(new URL("../../../../infra/clickhouse", import.meta.url));

describe("migration files", () => {
  it("splits on lines ending with ; and drops whole-line comments, as the shell runner", () => {
    const text = "-- header;\nCREATE TABLE a (x UInt8)\nENGINE = Memory;\n\n-- c\nSELECT 'a;b';  \nSELECT 2";
    expect(splitStatements(text)).toEqual(["CREATE TABLE a (x UInt8)\nENGINE = Memory", "\nSELECT 'a;b'", "SELECT 2"]);
  });

  it("reads the repository's migrations in order with sha256 checksums", async () => {
    const files = await readMigrations(dir);
    expect(files.map((f) => f.version)).toEqual([...files.map((f) => f.version)].sort((a, b) => a - b));
    expect(files[0]).toMatchObject({ version: 1, name: "events", file: "0001_events.sql" });
    expect(files.every((f) => /^[0-9a-f]{64}$/.test(f.checksum) && f.statements.length > 0)).toBe(true);
  });

  it("retargets the seqlane qualifier to another database", () => {
    expect(retarget("CREATE TABLE IF NOT EXISTS seqlane.events (x UInt8)", "t_1")).toBe(
      "CREATE TABLE IF NOT EXISTS `t_1`.events (x UInt8)",
    );
    expect(() => retarget("x", "bad-name")).toThrow();
  });
});
