import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clickhouseEvents, replayEvents, replayFile } from "@seqlane/cli";
import { serializeEvent } from "@seqlane/events";
import { createGenerator } from "@seqlane/generator";
import { DEFAULT_SPEC } from "@seqlane/sequences";
import { createWarehouse, ident, migrate, sql, toEventRow, type EventRow } from "@seqlane/warehouse";
import { afterAll, describe, expect, it } from "vitest";

// `seqlane replay --from-clickhouse` must rebuild the same sequences as a replay of the stream
// itself: rows come back in Kafka partition/offset order, which is each user's order.
const url = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
const database = `t_replay_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
const wh = createWarehouse({ url, database });
const root = join(import.meta.dirname, "..", "..");

afterAll(async () => {
  const admin = createWarehouse({ url, database: "default" });
  await admin.command(sql`DROP DATABASE IF EXISTS ${ident(database)}`);
  await admin.close();
  await wh.close();
});

describe("seqlane replay --from-clickhouse (real ClickHouse)", () => {
  it("rebuilds exactly the sequences of a replay of the stream file", async () => {
    await migrate(wh, { dir: join(root, "infra", "clickhouse") });
    // No producer-side duplicates (see clickhouseEvents: their positions do not survive merges);
    // late events and the recorder's redelivery below are in.
    const gen = createGenerator({
      seed: 11,
      users: 60,
      items: 3000,
      categories: 40,
      concurrentSessions: 12,
      duplicateRate: 0,
    });
    const lines: string[] = [];
    const rows: EventRow[] = [];
    const offsets = [0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const value = serializeEvent(gen.next());
      lines.push(value);
      const user = (JSON.parse(value) as { user_id: string }).user_id;
      const partition = Number(user.replace(/\D/g, "")) % 3; // keyed by user, as on Kafka
      const mapped = toEventRow(value, {
        topic: "behavior-events",
        partition,
        offset: String(offsets[partition]!++),
        timestamp: "0",
        key: user,
      });
      if (mapped.ok) rows.push(mapped.row);
    }
    // Insert in two halves, the second including some rows again (at-least-once delivery).
    await wh.insert("events", rows.slice(0, 2500));
    await wh.insert("events", rows.slice(2000));

    const dir = mkdtempSync(join(tmpdir(), "replay-ch-"));
    writeFileSync(join(dir, "events.jsonl"), lines.join("\n") + "\n");
    const fromFile = await replayFile(join(dir, "events.jsonl"), join(dir, "file.jsonl"), DEFAULT_SPEC, {});
    const fromCh = await replayEvents(clickhouseEvents(wh), join(dir, "ch.jsonl"), DEFAULT_SPEC, {});
    const read = (f: string) => readFileSync(join(dir, f), "utf8").trim().split("\n").sort();
    expect(fromCh.users).toBe(fromFile.users);
    expect(fromCh.applied).toBe(fromFile.applied);
    expect(read("ch.jsonl")).toEqual(read("file.jsonl"));
    expect(fromCh.duplicate).toBe(500); // the redelivered rows, dropped by apply()'s dedup
    // The stream had out-of-order (late) events; they kept their stream positions.
    const newest = new Map<string, number>();
    let outOfOrder = 0;
    for (const l of lines) {
      const e = JSON.parse(l) as { user_id: string; ts: number };
      if (e.ts < (newest.get(e.user_id) ?? 0)) outOfOrder++;
      newest.set(e.user_id, Math.max(e.ts, newest.get(e.user_id) ?? 0));
    }
    expect(outOfOrder).toBeGreaterThan(0);
  });
});
