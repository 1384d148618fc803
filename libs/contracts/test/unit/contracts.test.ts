import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkEvent,
  compileSchema,
  idProblem,
  isShadowPrediction,
  itemContract,
  loadSchema,
  messageChecker,
  predictionContract,
} from "../../src/index.js";

const vectors = JSON.parse(readFileSync(new URL("../../vectors/event/events.json", import.meta.url), "utf8")) as {
  reference_ts: number;
  vectors: { description: string; event: unknown; expected: { ok: boolean; kind?: string; field?: string } }[];
};

describe("the event contract's shared vectors (also read by training/)", () => {
  it.each(vectors.vectors.map((v) => [v.description, v] as const))("%s", (_d, v) => {
    const r = checkEvent(v.event, vectors.reference_ts);
    expect(r.ok).toBe(v.expected.ok);
    if (!r.ok) {
      expect({ kind: r.rejection.kind, field: r.rejection.field }).toEqual({
        kind: v.expected.kind,
        field: v.expected.field,
      });
      expect(r.rejection.reason.length).toBeGreaterThan(5);
    }
  });
});

describe("schemas", () => {
  const files = readdirSync(new URL("../../schemas/", import.meta.url)).filter((f) => f.endsWith(".schema.json"));
  it.each(files)("%s compiles under Ajv's strict mode", (f) => {
    expect(() => compileSchema(loadSchema(f.replace(".schema.json", "")))).not.toThrow();
  });
  it("the generated TypeScript types match the schema files (npm run gen -w @seqlane/contracts)", () => {
    const script = new URL("../../scripts/gen-types.mjs", import.meta.url).pathname;
    expect(() => execFileSync(process.execPath, [script, "--check"], { stdio: "pipe" })).not.toThrow();
  });
});

describe("seqlane-id", () => {
  it.each([
    ["", "must not be empty"],
    ["a\u0000", "must not contain control characters"],
    ["x\udc00", "must be well-formed Unicode (it holds a lone UTF-16 surrogate)"],
    ["é".repeat(65), "must be at most 128 UTF-8 bytes"],
  ])("%j: %s", (s, why) => expect(idProblem(s)).toBe(why));
  it("accepts surrogate pairs and 128 bytes exactly", () => {
    expect(idProblem("\u{1F600}".repeat(32))).toBeUndefined();
    expect(idProblem("x".repeat(128))).toBeUndefined();
  });
});

describe("prediction and item messages", () => {
  const p = { request_id: "r", user_id: 1, item_id: "i", model: "din", version: 3, ctr: 0.5, ts: 1 };
  it("canonicalises ids and integer versions", () => {
    expect(predictionContract.check(p)).toEqual({
      ok: true,
      value: { request_id: "r", user_id: "1", item_id: "i", model: "din", version: "3", ctr: 0.5, ts: 1 },
    });
  });
  it.each([
    [{ ...p, ctr: 1.5 }, "ctr"],
    [{ ...p, model: "bad model" }, "model"],
    [{ ...p, cvr: "x" }, "cvr"],
    [{ ...p, user_id: "u\ud800" }, "user_id"],
    [{ ...p, ts: undefined }, "ts"],
  ])("names the field of a bad prediction: %j", (value, field) => {
    const r = predictionContract.check(value);
    expect(r.ok === false && r.problem.field).toBe(field);
  });
  it("items: attributes optional, ids canonical, bad ids named", () => {
    expect(itemContract.check({ item_id: 5, category_id: 7 })).toEqual({
      ok: true,
      value: { item_id: "5", category_id: "7" },
    });
    const r = itemContract.check({ brand_id: { a: 1 } });
    expect(r.ok === false && r.problem.field).toBe("brand_id");
  });
});

describe("prediction versions", () => {
  const p = { request_id: "r", user_id: 1, item_id: "i", model: "din", version: 3, ctr: 0.5, ts: 1 };
  it("reads version 1 (schema absent or 1) and version 2 with shadow", () => {
    expect(predictionContract.check({ ...p, schema: 1 }).ok).toBe(true);
    const r = predictionContract.check({ ...p, schema: 2, shadow: true });
    expect(r.ok && isShadowPrediction(r.value)).toBe(true);
    const served = predictionContract.check({ ...p, schema: 2 });
    expect(served.ok && isShadowPrediction(served.value)).toBe(false);
    const v1 = predictionContract.check(p);
    expect(v1.ok && isShadowPrediction(v1.value)).toBe(false);
  });
  it("a version 1 reader refuses shadow predictions (schema must be 1) rather than count them as served", () => {
    const v1 = messageChecker("prediction.v1");
    const r = v1.check({ ...p, schema: 2, shadow: true });
    expect(r.ok === false && r.problem.field).toBe("schema");
  });
  it.each([
    [{ ...p, schema: 3 }, "schema", /version 3 is not supported \(supported: 1, 2\)/],
    [{ ...p, schema: "2" }, "schema", /not supported/],
    [{ ...p, schema: 2, shadow: "yes" }, "shadow", /must be a boolean/],
  ])("names the field of a bad versioned prediction: %j", (value, field, why) => {
    const r = predictionContract.check(value);
    expect(r.ok === false && r.problem.field).toBe(field);
    expect(r.ok === false && r.problem.reason).toMatch(why);
  });
});
