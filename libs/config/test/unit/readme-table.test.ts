import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("the README's configuration table", () => {
  it("is what libs/config says (node scripts/config-table.mjs --write regenerates it)", () => {
    const script = new URL("../../../../scripts/config-table.mjs", import.meta.url).pathname;
    expect(() => execFileSync(process.execPath, [script, "--check"], { stdio: "pipe" })).not.toThrow();
  });
});

describe("secrets never reach an error line", () => {
  it("redacts a URL's credentials in a configuration error and in a start-up failure", async () => {
    const { load, redis, explainStartupError } = await import("../../src/index.js");
    expect(() => load(redis, { SEQLANE_REDIS_URL: "ftp://user:hunter2@host:1" })).toThrow(/\/\/\*\*\*@host/);
    expect(() => load(redis, { SEQLANE_REDIS_URL: "ftp://user:hunter2@host:1" })).not.toThrow(/hunter2/);
    const e = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const line = explainStartupError(e, { redisUrl: "redis://:hunter2@10.0.0.1:6379" });
    expect(line).toContain("redis://***@10.0.0.1:6379");
    expect(line).not.toContain("hunter2");
  });
  it("keeps a password exactly as given (no trimming)", async () => {
    const { load, clickhouse } = await import("../../src/index.js");
    expect(load(clickhouse, { SEQLANE_CLICKHOUSE_PASSWORD: " pa ss " }).password).toBe(" pa ss ");
  });
});
