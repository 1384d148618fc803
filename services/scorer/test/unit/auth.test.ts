import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { BearerAuth } from "../../src/http/auth.js";
import { HttpError } from "../../src/http/errors.js";

const req = (authorization?: string) =>
  ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

describe("BearerAuth", () => {
  it("without a token every request passes", () => {
    for (const token of [undefined, ""]) {
      const auth = new BearerAuth(token);
      expect(auth.enabled).toBe(false);
      expect(() => auth.check(req())).not.toThrow();
    }
  });

  it("with a token only the exact bearer header passes; others are 401 naming the header", () => {
    const auth = new BearerAuth("s3cret");
    expect(auth.enabled).toBe(true);
    expect(() => auth.check(req("Bearer s3cret"))).not.toThrow();
    for (const h of [undefined, "", "Bearer s3cre", "Bearer s3cret2", "bearer s3cret", "s3cret", "Bearer é3cret"]) {
      let err: unknown;
      try {
        auth.check(req(h));
      } catch (e) {
        err = e;
      }
      expect(err, String(h)).toBeInstanceOf(HttpError);
      expect([(err as HttpError).status, (err as HttpError).field]).toEqual([401, "authorization"]);
    }
  });
});
