import { describe, expect, it } from "vitest";
import { parseScoreRequest, ValidationError } from "../../src/index.js";

function fieldOf(body: unknown): string {
  try {
    parseScoreRequest(body, 5);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return `${(e as ValidationError).field} | ${(e as ValidationError).message}`;
  }
  return "ok";
}

describe("parseScoreRequest", () => {
  it("accepts the documented shape", () => {
    const r = parseScoreRequest(
      {
        user_id: "u1",
        candidates: [{ item_id: 1, category_id: "c", brand_id: null, position: 2 }],
        context: { hour_of_day: 3 },
        model: "din",
      },
      5,
    );
    expect(r).toMatchObject({
      userId: "u1",
      candidates: [{ itemId: 1, categoryId: "c", position: 2 }],
      context: { hourOfDay: 3 },
      model: "din",
    });
  });
  it("names the field, the problem and the expected shape", () => {
    expect(fieldOf([])).toMatch(/^\(body\) \| \(body\): must be a JSON object/);
    expect(fieldOf({ candidates: [] })).toBe("user_id | user_id: is required");
    expect(fieldOf({ user_id: -1, candidates: [] })).toMatch(
      /^user_id \| user_id: must be a non-negative safe integer/,
    );
    expect(fieldOf({ user_id: "", candidates: [] })).toMatch(/^user_id \| .*must not be empty/);
    expect(fieldOf({ user_id: "a\nb", candidates: [] })).toMatch(/control characters/);
    expect(fieldOf({ user_id: "é".repeat(65), candidates: [] })).toMatch(/at most 128 UTF-8 bytes/);
    expect(fieldOf({ user_id: "u" })).toBe("candidates | candidates: is required");
    expect(fieldOf({ user_id: "u", candidates: {} })).toMatch(/^candidates \| candidates: must be an array/);
    expect(fieldOf({ user_id: "u", candidates: [] })).toBe("candidates | candidates: must not be empty");
    expect(fieldOf({ user_id: "u", candidates: new Array(6).fill({ item_id: 1 }) })).toMatch(
      /at most 5 items \(got 6\)/,
    );
    expect(fieldOf({ user_id: "u", candidates: [{ item_id: 1 }, 7] })).toMatch(/^candidates\[1\] \| /);
    expect(fieldOf({ user_id: "u", candidates: [{ item_id: 1 }, { category_id: 2 }] })).toBe(
      "candidates[1].item_id | candidates[1].item_id: is required",
    );
    expect(fieldOf({ user_id: "u", candidates: [{ item_id: true }] })).toMatch(
      /^candidates\[0\]\.item_id \| .*\(got boolean\)/,
    );
    expect(fieldOf({ user_id: "u", candidates: [{ item_id: 1, category_id: 1.5 }] })).toMatch(
      /^candidates\[0\]\.category_id/,
    );
    expect(fieldOf({ user_id: "u", candidates: [{ item_id: 1 }], context: { hour_of_day: 24 } })).toMatch(
      /^context\.hour_of_day \| .*integer in \[0, 23\] \(got 24\)/,
    );
    expect(fieldOf({ user_id: "u", candidates: [{ item_id: 1 }], model: "DIN" })).toMatch(/^model \| /);
  });
  it("describes a bad value by its type, never by printing it: deep nesting is a 400, not a stack overflow", () => {
    let deep: unknown = [];
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const base = { user_id: "u", candidates: [{ item_id: 1 }] };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, model: deep }, "model"],
      [{ ...base, version: deep }, "version"],
      [{ ...base, request_id: deep }, "request_id"],
      [{ ...base, context: { hour_of_day: deep } }, "context.hour_of_day"],
      [{ ...base, context: { position: deep } }, "context.position"],
      [{ ...base, candidates: [{ item_id: 1, position: deep }] }, "candidates[0].position"],
      [{ ...base, candidates: [{ item_id: deep }] }, "candidates[0].item_id"],
      [{ ...base, user_id: deep }, "user_id"],
    ];
    for (const [body, field] of cases) {
      const got = fieldOf(body);
      expect(got, field).toMatch(new RegExp(`^${field.replace(/[[\].]/g, "\\$&")} \\| .*\\(got array\\)$`));
    }
    expect(fieldOf({ ...base, model: "x".repeat(5000) })).toMatch(/\(got string of 5000 characters\)$/);
    expect(fieldOf({ ...base, context: { day_of_week: { a: 1 } } })).toMatch(/\(got object\)$/);
  });
});
