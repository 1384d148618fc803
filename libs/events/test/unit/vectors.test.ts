import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { id64BigInt } from "../../src/index.js";

// The shared vectors (libs/features, also checked by training/) pin docs/ids.md across languages.
const url = new URL("../../../features/test-vectors/hash-vectors.json", import.meta.url);
const vectors = (JSON.parse(readFileSync(url, "utf8")) as { vectors: { raw: string; id64: string }[] }).vectors;

describe("id64 against the shared test vectors", () => {
  it.each(vectors.map((v) => [v.raw, v.id64] as const))("%j -> %s", (raw, want) => {
    expect(id64BigInt(raw).toString()).toBe(want);
  });
});
