import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("the README's configuration table", () => {
  it("is what libs/config says (node scripts/config-table.mjs --write regenerates it)", () => {
    const script = new URL("../../../../scripts/config-table.mjs", import.meta.url).pathname;
    expect(() => execFileSync(process.execPath, [script, "--check"], { stdio: "pipe" })).not.toThrow();
  });
});
