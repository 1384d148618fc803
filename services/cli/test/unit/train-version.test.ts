import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nextVersion } from "../../src/train/version.js";

describe("nextVersion (seqlane train's default --version)", () => {
  it("is one more than the newest integer version, ignoring other names and publish's temporaries", async () => {
    const registry = mkdtempSync(join(tmpdir(), "train-version-"));
    expect(await nextVersion(registry, "din")).toBe("1");
    for (const v of ["2", "10", "9", "din_v2", ".tmp-11-1-2"]) mkdirSync(join(registry, "din", v), { recursive: true });
    expect(await nextVersion(registry, "din")).toBe("11");
    mkdirSync(join(registry, "bst", "latest"), { recursive: true });
    expect(await nextVersion(registry, "bst")).toBe("1");
  });
});
