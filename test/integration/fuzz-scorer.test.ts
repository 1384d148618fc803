/**
 * Fuzz, bounded: a seeded stream of random and adversarial scoring requests (every field given
 * random types, nesting, sizes and strings, bad JSON, wrong methods and content types) against
 * the real scorer (real Redis, fixture models). Asserts that no request gets a 5xx other than a
 * shed 503, every 4xx names its reason, the scorer stays up and ready, and memory stays bounded.
 * Prints how many requests of each kind were tried and what they got.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "@seqlane/generator";
import { withSeededUser } from "./scorer-support.js";

const N = Number(process.env.SEQLANE_FUZZ_REQUESTS ?? 1500);
const SEED = Number(process.env.SEQLANE_FUZZ_SEED ?? 20261201);

interface Req {
  readonly kind: string;
  readonly method: string;
  readonly contentType: string;
  readonly body: string;
}

function requests(n: number, user: string, rnd: () => number): Req[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const deep = (d: number) => (rnd() < 0.5 ? "[".repeat(d) + "]".repeat(d) : '{"a":'.repeat(d) + "1" + "}".repeat(d));
  const str = () =>
    JSON.stringify(
      pick([
        "",
        "x".repeat(Math.floor(rnd() * 3000)),
        `s${String.fromCharCode(0xd800 + Math.floor(rnd() * 0x800))}`,
        `c${String.fromCharCode(Math.floor(rnd() * 32))}`,
        "din",
        "\u{1F600}",
      ]),
    );
  const scalar = (): string =>
    pick<() => string>([
      () => String(Math.floor(rnd() * 2 ** 40)),
      () => String(-Math.floor(rnd() * 100)),
      () => String(rnd()),
      () => pick(["1e400", "-0", "1e-400", "9007199254740993"]),
      () => pick(["true", "false", "null"]),
      str,
      () => deep(1 + Math.floor(rnd() * 6000)),
      () => "{}",
      () => "[]",
    ])();
  const candidate = () =>
    rnd() < 0.6
      ? `{"item_id":${Math.floor(rnd() * 1e5)},"category_id":${Math.floor(rnd() * 50)}}`
      : `{"item_id":${scalar()},"category_id":${scalar()},"brand_id":${scalar()},"position":${scalar()}}`;
  const candidates = () =>
    pick<() => string>([
      () => `[${Array.from({ length: 1 + Math.floor(rnd() * 30) }, candidate).join(",")}]`,
      () => `[${Array.from({ length: 1001 + Math.floor(rnd() * 500) }, () => '{"item_id":1}').join(",")}]`,
      () => "[]",
      scalar,
    ])();
  const valid = () => `{"user_id":${JSON.stringify(user)},"candidates":[{"item_id":1,"category_id":2}],"model":"din"}`;
  const kinds: Record<string, () => Omit<Req, "kind">> = {
    valid: () => ({ method: "POST", contentType: "application/json", body: valid() }),
    "random fields": () => {
      const fields = [
        `"user_id":${rnd() < 0.5 ? JSON.stringify(user) : scalar()}`,
        `"candidates":${candidates()}`,
        ...(rnd() < 0.5 ? [`"model":${rnd() < 0.5 ? '"din"' : scalar()}`] : []),
        ...(rnd() < 0.3 ? [`"version":${scalar()}`] : []),
        ...(rnd() < 0.3 ? [`"request_id":${scalar()}`] : []),
        ...(rnd() < 0.4
          ? [
              `"context":${rnd() < 0.5 ? `{"hour_of_day":${scalar()},"day_of_week":${scalar()},"position":${scalar()}}` : scalar()}`,
            ]
          : []),
        ...(rnd() < 0.2 ? [`"extra":${scalar()}`] : []),
      ];
      return { method: "POST", contentType: "application/json", body: `{${fields.join(",")}}` };
    },
    "bad JSON": () => ({
      method: "POST",
      contentType: "application/json",
      body: pick(["{", "", "nul", valid().slice(0, Math.floor(rnd() * 60)), "\u0000\u0001", '{"user_id":"u",}']),
    }),
    "not an object": () => ({ method: "POST", contentType: "application/json", body: scalar() }),
    "wrong content type": () => ({
      method: "POST",
      contentType: pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]),
      body: valid(),
    }),
    "wrong method": () => ({
      method: pick(["GET", "PUT", "DELETE", "PATCH"]),
      contentType: "application/json",
      body: valid(),
    }),
  };
  const names = Object.keys(kinds);
  return Array.from({ length: n }, (_, i) => {
    const kind = i % 5 === 0 ? "valid" : names[1 + Math.floor(rnd() * (names.length - 1))]!;
    return { kind, ...kinds[kind]!() };
  });
}

describe(`fuzz: ${N} random and adversarial requests against the real scorer (seed ${SEED})`, () => {
  const t = withSeededUser();

  it("answers every request with a 2xx, a named 4xx or a shed 503; stays up, ready and bounded", async () => {
    const { scorer, url } = await t.env.scorer({});
    const rng = createRng(SEED);
    const all = requests(N, t.user, () => rng.next());
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const tally = new Map<string, Map<number, number>>();
    const bad: string[] = [];
    for (let i = 0; i < all.length; i += 8) {
      await Promise.all(
        all.slice(i, i + 8).map(async (r) => {
          const res = await fetch(`${url}/v1/score`, {
            method: r.method,
            headers: r.contentType === "" ? {} : { "content-type": r.contentType },
            ...(r.method === "GET" ? {} : { body: r.body }),
          });
          const text = await res.text();
          const byKind = tally.get(r.kind) ?? new Map<number, number>();
          byKind.set(res.status, (byKind.get(res.status) ?? 0) + 1);
          tally.set(r.kind, byKind);
          if (res.status >= 500 && res.status !== 503) bad.push(`${r.kind}: ${res.status} ${text.slice(0, 200)}`);
          if (res.status >= 400 && res.status < 500) {
            const err = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
            if (!err?.code || !err.message)
              bad.push(`${r.kind}: ${res.status} without a named reason: ${text.slice(0, 200)}`);
          }
          if (r.kind === "valid" && res.status !== 200 && res.status !== 503)
            bad.push(`valid: ${res.status} ${text.slice(0, 200)}`);
        }),
      );
    }
    expect(bad).toEqual([]);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(scorer.inflightBytes).toBe(0);
    global.gc?.();
    const grownMb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
    console.log(
      `scorer fuzz (seed ${SEED}): ${N} requests\n` +
        [...tally]
          .map(
            ([k, m]) =>
              `  ${k}: ${[...m]
                .sort(([a], [b]) => a - b)
                .map(([s, c]) => `${s} x${c}`)
                .join(", ")}`,
          )
          .join("\n") +
        `\n  heap grew ${grownMb.toFixed(1)} MB`,
    );
    expect(grownMb).toBeLessThan(200);
  }, 300_000);
});
