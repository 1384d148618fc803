import { describe, expect, it } from "vitest";
import { withSeededUser } from "./scorer-support.js";

const t = withSeededUser();

/** POSTs a raw body text (the deep values below are built as text, never as JS values). */
async function postText(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/v1/score`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON responses field by field
  return { status: res.status, body: (await res.json()) as any };
}

const DEPTH = 5000;
const DEEP_ARRAY = "[".repeat(DEPTH) + "]".repeat(DEPTH);
const DEEP_OBJECT = '{"a":'.repeat(DEPTH) + "1" + "}".repeat(DEPTH);

/** Wrong for any scalar field: deep containers, other types. */
const NOT_SCALAR = [DEEP_ARRAY, DEEP_OBJECT, "true", '{"x":[1,2]}', "[[[1]]]"];
/** Wrong for an object field (`candidates[i]`, `context`). */
const NOT_OBJECT = [DEEP_ARRAY, "true", "1.5", '"s"', "[[[1]]]"];

/**
 * Each field's path, the request text with `v` (a JSON text) in that field, and the values of
 * a wrong type or nesting for it (`[value, field named]` where the error is one level down).
 */
const FIELDS: [string, (v: string) => string, (string | [string, string])[]][] = [
  ["user_id", (v) => `{"user_id":${v},"candidates":[{"item_id":1}]}`, [...NOT_SCALAR, "1.5"]],
  [
    "candidates",
    (v) => `{"user_id":"u","candidates":${v}}`,
    [DEEP_OBJECT, "true", "1.5", '"s"', [DEEP_ARRAY, "candidates[0]"], ["[[[1]]]", "candidates[0]"]],
  ],
  [
    "candidates[0]",
    (v) => `{"user_id":"u","candidates":[${v}]}`,
    [...NOT_OBJECT, [DEEP_OBJECT, "candidates[0].item_id"]],
  ],
  [
    "candidates[1].item_id",
    (v) => `{"user_id":"u","candidates":[{"item_id":1},{"item_id":${v}}]}`,
    [...NOT_SCALAR, "1.5"],
  ],
  ["candidates[0].category_id", (v) => `{"user_id":"u","candidates":[{"item_id":1,"category_id":${v}}]}`, NOT_SCALAR],
  ["candidates[0].brand_id", (v) => `{"user_id":"u","candidates":[{"item_id":1,"brand_id":${v}}]}`, NOT_SCALAR],
  [
    "candidates[0].position",
    (v) => `{"user_id":"u","candidates":[{"item_id":1,"position":${v}}]}`,
    [...NOT_SCALAR, "1.5", '"3"'],
  ],
  ["context", (v) => `{"user_id":"u","candidates":[{"item_id":1}],"context":${v}}`, NOT_OBJECT],
  [
    "context.hour_of_day",
    (v) => `{"user_id":"u","candidates":[{"item_id":1}],"context":{"hour_of_day":${v}}}`,
    [...NOT_SCALAR, "1.5", '"3"'],
  ],
  [
    "context.day_of_week",
    (v) => `{"user_id":"u","candidates":[{"item_id":1}],"context":{"day_of_week":${v}}}`,
    [...NOT_SCALAR, "1.5", '"3"'],
  ],
  [
    "context.position",
    (v) => `{"user_id":"u","candidates":[{"item_id":1}],"context":{"position":${v}}}`,
    [...NOT_SCALAR, "1.5", '"3"'],
  ],
  ["model", (v) => `{"user_id":"u","candidates":[{"item_id":1}],"model":${v}}`, [...NOT_SCALAR, "1.5"]],
  ["version", (v) => `{"user_id":"u","candidates":[{"item_id":1}],"version":${v}}`, [...NOT_SCALAR, "1.5"]],
  ["request_id", (v) => `{"user_id":"u","candidates":[{"item_id":1}],"request_id":${v}}`, [...NOT_SCALAR, "1.5"]],
];

describe("request validation on the real scorer", () => {
  it("a deep-nested or mistyped value in any field is a 400 naming that field, described by its type", async () => {
    const { url } = await t.env.scorer();
    const ok = await postText(url, JSON.stringify({ user_id: t.user, candidates: [{ item_id: 1 }], model: "din" }));
    expect(ok.status).toBe(200);
    const failures: string[] = [];
    for (const [at, body, wrong] of FIELDS) {
      for (const w of wrong) {
        const [value, field] = typeof w === "string" ? [w, at] : w;
        const r = await postText(url, body(value));
        const e = r.body.error ?? {};
        const shown = value.length > 20 ? `${value.slice(0, 12)}...(${value.length} chars)` : value;
        if (r.status !== 400 || e.code !== "invalid_request" || e.field !== field)
          failures.push(`${field} = ${shown}: ${r.status} ${e.code} ${e.field}`);
        else if (!String(e.message).startsWith(`${field}: `) || e.message.length > 300 || /\[\[|\{"/.test(e.message))
          failures.push(`${field} = ${shown}: message echoes the value or is unbounded: ${e.message.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("mistyped strings and numbers are described, not echoed: the message stays short whatever the value", async () => {
    const { url } = await t.env.scorer();
    const long = "x".repeat(10_000);
    for (const field of ["model", "version", "request_id"]) {
      const r = await postText(url, JSON.stringify({ user_id: "u", candidates: [{ item_id: 1 }], [field]: long }));
      expect([r.status, r.body.error.field]).toEqual([400, field]);
      expect(r.body.error.message.length).toBeLessThan(200);
    }
    const r = await postText(
      url,
      JSON.stringify({ user_id: "u", candidates: [{ item_id: 1 }], context: { hour_of_day: long } }),
    );
    expect([r.status, r.body.error.field]).toEqual([400, "context.hour_of_day"]);
    expect(r.body.error.message.length).toBeLessThan(200);
    const bad = await postText(url, `{"user_id":"u","candidates":[{"item_id":1}],${long}`);
    expect([bad.status, bad.body.error.field]).toEqual([400, "(body)"]);
    expect(bad.body.error.message).not.toContain("xxxx");
  });
});

describe("Content-Type", () => {
  const body = () => JSON.stringify({ user_id: t.user, candidates: [{ item_id: 1 }], model: "din" });
  // What a web page can send cross-origin without a CORS preflight, and no type at all.
  const refused = [
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
  ];

  it("must be application/json with auth off: 415 otherwise, before anything is scored", async () => {
    const { scorer, url } = await t.env.scorer();
    for (const type of refused) {
      const r = await postText(url, body(), { "content-type": type });
      expect([type, r.status, r.body.error.code, r.body.error.field]).toEqual([
        type,
        415,
        "unsupported_media_type",
        "content-type",
      ]);
    }
    const untyped = await fetch(`${url}/v1/score`, { method: "POST", body: new TextEncoder().encode(body()) });
    expect(untyped.status).toBe(415);
    for (const type of ["application/json", "application/json; charset=utf-8", "Application/JSON"])
      expect((await postText(url, body(), { "content-type": type })).status, type).toBe(200);
    await scorer.predictions!.flush();
  });

  it("must be application/json with auth on too (the token is checked first)", async () => {
    const { url } = await t.env.scorer({ authToken: "s3cret" });
    const auth = { authorization: "Bearer s3cret" };
    expect((await postText(url, body(), { "content-type": "text/plain" })).status).toBe(401);
    const r = await postText(url, body(), { ...auth, "content-type": "text/plain" });
    expect([r.status, r.body.error.code]).toEqual([415, "unsupported_media_type"]);
    expect((await postText(url, body(), auth)).status).toBe(200);
  });
});
