import { describe, expect, it } from "vitest";
import { chooseVersion, parseSplit, userSlot } from "../../src/index.js";

describe("traffic split", () => {
  it("parses model=version:weight lists and names bad parts", () => {
    expect([...parseSplit("din=3:90,4:10; pooling=1:1")]).toEqual([
      [
        "din",
        [
          { version: "3", weight: 90 },
          { version: "4", weight: 10 },
        ],
      ],
      ["pooling", [{ version: "1", weight: 1 }]],
    ]);
    expect(parseSplit("").size).toBe(0);
    expect(() => parseSplit("din=3")).toThrow(/din: "3" is not version:weight/);
  });
  it("splits users by hash in proportion, sticky per user, only among loaded versions", () => {
    const entries = [
      { version: "3", weight: 90 },
      { version: "4", weight: 10 },
    ];
    const loaded = new Set(["3", "4"]);
    let four = 0;
    for (let u = 0; u < 20_000; u++) if (chooseVersion(entries, loaded, userSlot(`user-${u}`)) === "4") four++;
    expect(four / 20_000).toBeGreaterThan(0.085);
    expect(four / 20_000).toBeLessThan(0.115);
    expect(chooseVersion(entries, loaded, userSlot("alice"))).toBe(chooseVersion(entries, loaded, userSlot("alice")));
    expect(chooseVersion(entries, new Set(["4"]), userSlot("alice"))).toBe("4");
    expect(chooseVersion(entries, new Set(["9"]), 0)).toBeUndefined();
  });
});
