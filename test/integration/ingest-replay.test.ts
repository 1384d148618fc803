import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGenerator } from "@seqlane/generator";
import { REDIS_URL, readable, rand, setup, toMessages, waitFor } from "./ingest-support.js";
import type { Env } from "./ingest-support.js";

const CLI = fileURLToPath(new URL("../../services/cli/dist/main.js", import.meta.url));

let env: Env;
beforeAll(async () => {
  env = await setup(3);
});
afterAll(async () => env?.close());

describe("ingest: streaming equals replay", () => {
  it("gives the same sequences as `seqlane replay` of the same stream", async () => {
    const g = createGenerator({ seed: 41, users: 100, items: 3000, startTs: Date.UTC(2026, 0, 1) });
    const events = Array.from({ length: 15_000 }, () => g.next());
    const dir = mkdtempSync(join(tmpdir(), "seqlane-replay-"));
    const input = join(dir, "events.jsonl");
    const output = join(dir, "sequences.jsonl");
    // a short allowed lateness (2 min) so that some of the generator's late events are too late;
    // one bad line too: both paths must skip it the same way
    writeFileSync(input, events.map((e) => JSON.stringify(e)).join("\n") + "\n{broken\n");
    await promisify(execFile)(process.execPath, [
      CLI,
      "replay",
      "--in",
      input,
      "--out",
      output,
      "--lateness",
      "120000",
    ]);
    const replayed = readFileSync(output, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { user_id: string });

    await env.produce([...toMessages(events), { key: "x", value: "{broken" }]);
    // the production set-up: processing in a worker thread with its own Redis connection
    const ing = env.ingest({
      groupId: rand("it-group"),
      allowedLatenessMs: 120_000,
      redis: undefined,
      redisUrl: REDIS_URL,
    });
    await ing.start();
    await waitFor("stream", () => ing.stats.messages === events.length + 1, 120_000);
    expect(ing.stats.dlq).toBe(1);
    expect(ing.stats.late).toBeGreaterThan(0);
    expect(ing.stats.duplicate).toBeGreaterThan(0);

    const users = replayed.map((r) => r.user_id);
    expect(new Set(users)).toEqual(new Set(events.map((e) => e.user_id)));
    expect(await readable(env.store(), users)).toEqual(replayed);
  });
});
