/**
 * `seqlane train` on the local stack: ClickHouse seeded with a generated stream, its
 * predictions and the labelling job's outcomes; the real command (a child process) builds
 * point-in-time samples, fits training/'s pooling model in the venv, checks parity and
 * publishes into a temporary registry that the scorer's registry loader then serves from.
 */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serializeEvent } from "@seqlane/events";
import { createGenerator } from "@seqlane/generator";
import { ModelRegistry, silentLogger, validateManifest } from "@seqlane/models";
import { DEFAULT_SPEC } from "@seqlane/sequences";
import {
  DEFAULT_WINDOWS,
  createWarehouse,
  ident,
  labelInsert,
  migrate,
  sql,
  toEventRow,
  type EventRow,
  type Warehouse,
} from "@seqlane/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samplesFromClickHouse } from "../../src/samples/samples-clickhouse.js";

const ROOT = fileURLToPath(new URL("../../../..", import.meta.url));
const CLI = join(ROOT, "services", "cli", "dist", "main.js");
const PYTHON = join(ROOT, "training", ".venv", "bin", "python");
const haveVenv = existsSync(PYTHON);
const CH_URL = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
const database = `t_train_${tag}`;
const work = mkdtempSync(join(tmpdir(), "it-train-"));
// Short fit: one pass, no minimum step count, one thread (the CI machine has 2 cores).
const FIT = ["--", "--epochs", "1", "--min-steps", "0", "--threads", "1", "--seed", "3"];

let wh: Warehouse;
let labelled = 0;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function seqlane(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        // From the repository root, as the README runs it (the default --python is relative to it).
        cwd: ROOT,
        env: { ...process.env, SEQLANE_CLICKHOUSE_URL: CH_URL, SEQLANE_CLICKHOUSE_DATABASE: database },
        timeout: 120_000,
      },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const versions = (registry: string, model: string): string[] =>
  existsSync(join(registry, model)) ? readdirSync(join(registry, model)).filter((n) => !n.startsWith(".")) : [];

beforeAll(async () => {
  wh = createWarehouse({ url: CH_URL, database });
  await migrate(wh, { dir: join(ROOT, "infra", "clickhouse") });
  // A generated stream of the last few hours, keyed by user over 3 partitions as on Kafka; a
  // logged prediction 20 ms before each exposure (the scorer scored the page, then it was shown).
  const start = Date.now() - 3 * 3_600_000;
  const gen = createGenerator({
    seed: 5,
    users: 80,
    items: 1500,
    categories: 30,
    concurrentSessions: 20,
    startTs: start,
    eventIntervalMs: 300,
    idPrefix: `t${tag}`,
  });
  const events: EventRow[] = [];
  const predictions: object[] = [];
  const offsets = [0, 0, 0];
  for (let i = 0; i < 5000; i++) {
    const e = gen.next();
    const user = e.user_id;
    const partition = Number(user.replace(/\D/g, "")) % 3;
    const mapped = toEventRow(serializeEvent(e), {
      topic: "behavior-events",
      partition,
      offset: String(offsets[partition]!++),
      timestamp: "0",
      key: user,
    });
    if (mapped.ok) events.push(mapped.row);
    if (e.type === "exposure" && e.request_id !== undefined)
      predictions.push({
        request_id: e.request_id,
        user_id: user,
        item_id: e.item_id,
        model: "din",
        version: "1",
        ctr: e.p_click ?? 0.1,
        cvr: null,
        ts: e.ts - 20,
        position: e.position ?? null,
        kafka_partition: 0,
        kafka_offset: String(predictions.length),
      });
  }
  await wh.insert("events", events);
  await wh.insert("predictions", predictions);
  // The recorder's labelling, over everything (the windows of the newest are not closed, but
  // labelling is deterministic: the test only needs labels).
  await wh.command(labelInsert({ database, fromMs: start - 60_000, toMs: Date.now(), windows: DEFAULT_WINDOWS }));
  const [n] = await wh.query<{ n: string }>(sql`SELECT count() AS n FROM outcomes FINAL`);
  labelled = Number(n?.n ?? 0);
}, 120_000);

afterAll(async () => {
  await wh?.command(sql`DROP DATABASE IF EXISTS ${ident(database)}`);
  await wh?.close();
});

describe.skipIf(!haveVenv)("seqlane train (needs training/.venv: bash training/scripts/venv.sh)", () => {
  it("publishes a new version that the scorer's registry loads", async () => {
    const registry = join(work, "registry");
    const keep = join(work, "keep");
    const r = await seqlane([
      "train",
      "--model",
      "pooling",
      "--since",
      "4h",
      "--registry",
      registry,
      "--keep",
      keep,
      "--min-labelled",
      "500",
      ...FIT,
    ]);
    expect(r.code, r.stderr).toBe(0);
    for (const step of ["query:", "manifest:", "samples:", "fit |", "export:", "parity:", "publish:"])
      expect(r.stderr).toContain(`[train] ${step}`);
    expect(r.stderr).toMatch(/\[train\] fit \| +step \d+ \(epoch/); // fit's own progress, streamed
    expect(r.stdout).toMatch(/^published pooling v1 to /);

    // One sample row per labelled prediction.
    const meta = JSON.parse(readFileSync(join(keep, "samples", "meta.json"), "utf8")) as {
      rows: number;
      source: string;
    };
    expect(labelled).toBeGreaterThan(1000);
    expect(meta.rows).toBe(labelled);
    expect(meta.source).toMatch(/^clickhouse:/);

    const dir = join(registry, "pooling", "1");
    expect(existsSync(join(dir, "model.onnx"))).toBe(true);
    const manifest = validateManifest(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")), dir);
    expect([manifest.name, manifest.version]).toEqual(["pooling", "1"]);
    const loader = new ModelRegistry({
      dir: registry,
      pollMs: 0,
      session: { executionProviders: ["cpu"], worker: false },
      logger: silentLogger,
    });
    try {
      await loader.scan();
      expect(loader.failures()).toEqual([]);
      expect(loader.get("pooling", "1")?.version).toBe("1");
    } finally {
      await loader.close();
    }
  });

  it("refuses too few labelled predictions, saying how many it found and needed, and publishes nothing", async () => {
    const registry = join(work, "registry-few");
    const r = await seqlane([
      "train",
      "--model",
      "pooling",
      "--since",
      "4h",
      "--registry",
      registry,
      "--min-labelled",
      "1000000",
      ...FIT,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`too few labelled predictions in `);
    expect(r.stderr).toContain(`found ${labelled}, need 1000000`);
    expect(r.stderr.trim().split("\n").at(-1)).toMatch(/^seqlane train: too few labelled predictions/);
    expect(versions(registry, "pooling")).toEqual([]);
  });

  it("publishes nothing when onnxruntime-node and PyTorch disagree", async () => {
    // A python that runs the venv's, then shifts one of PyTorch's parity outputs by 0.5.
    const fake = join(work, "python-bad-parity");
    writeFileSync(
      fake,
      `#!/usr/bin/env bash
set -e
"${PYTHON}" "$@"
if [[ "$3" == fit ]]; then
  out=""; prev=""; for a in "$@"; do [[ "$prev" == --out ]] && out="$a"; prev="$a"; done
  "${PYTHON}" -c 'import json,sys,numpy as np; d=sys.argv[1]+"/parity"; o=json.load(open(d+"/meta.json"))["outputs"][0]; p=d+"/"+o["file"]; (np.fromfile(p,dtype=np.float32)+0.5).astype(np.float32).tofile(p)' "$out"
fi
`,
    );
    chmodSync(fake, 0o755);
    const registry = join(work, "registry-parity");
    const r = await seqlane([
      "train",
      "--model",
      "pooling",
      "--since",
      "4h",
      "--registry",
      registry,
      "--python",
      fake,
      "--min-labelled",
      "500",
      ...FIT,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /seqlane train: parity failed: onnxruntime-node differs from PyTorch by max \|diff\| 0\.5\d* \(tolerance 0\.00001\); nothing published/,
    );
    expect(versions(registry, "pooling")).toEqual([]);
  });
});

describe("seqlane train without the venv", () => {
  it("says how to create it, before touching ClickHouse", async () => {
    const r = await seqlane([
      "train",
      "--model",
      "pooling",
      "--python",
      join(work, "no-venv", "bin", "python"),
      "--registry",
      join(work, "r0"),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^seqlane train: no training venv: .*no-venv\/bin\/python does not exist \(create it with `bash training\/scripts\/venv.sh`/,
    );
    expect(versions(join(work, "r0"), "pooling")).toEqual([]);
  });
});

describe("point-in-time samples (samplesFromClickHouse)", () => {
  it("gives each prediction the user's events that reached the stream before its time", async () => {
    // One user, stream order o0..o4; o3 (ts 3000) arrives late, after o2 (ts 5000).
    const T0 = Date.UTC(2025, 0, 6);
    const user = `pit-${tag}`;
    const clicks = [1000, 2000, 5000, 3000, 9000];
    await wh.insert(
      "events",
      clicks.map((dt, i) => ({
        event_id: `pit-${tag}-${i}`,
        user_id: user,
        item_id: String(500 + i),
        category_id: "7",
        brand_id: "",
        shop_id: "",
        price: null,
        type: "click",
        ts: T0 + dt,
        source: "server",
        request_id: "",
        position: null,
        schema_version: 1,
        kafka_partition: 9,
        kafka_offset: String(i),
      })),
    );
    // Prediction time -> events the scorer had: before o0 none; before o2 {o0, o1} (o3 is
    // older than 4000 but reached the stream after o2, which happened after 4000); before o4
    // all but o4; o4 at exactly 9000 is not strictly before; after everything, all five.
    const want: [number, number][] = [
      [1000, 0],
      [2500, 2],
      [4000, 2],
      [6000, 4],
      [9000, 4],
      [20_000, 5],
    ];
    await wh.insert(
      "outcomes",
      want.map(([dt], i) => ({
        model: "din",
        version: "1",
        pred_date: "2025-01-06",
        request_id: `pit-r${i}`,
        item_id: "900",
        user_id: user,
        ts: T0 + dt,
        ctr: 0.5,
        cvr: null,
        position: i,
        exposed: 1,
        click: i % 2,
        cart: 0,
        purchase: 0,
        click_delay_ms: null,
        cart_delay_ms: null,
        purchase_delay_ms: null,
        matched_by: "none",
        labelled_at: "2025-01-07 00:00:00",
      })),
    );
    const manifest = validateManifest({
      manifest_version: 1,
      name: "probe",
      version: "1",
      family: "pooling",
      architecture: "probe",
      tasks: ["ctr"],
      slots: [
        {
          name: "recent",
          source: "short_mixed",
          view: "plain",
          max_len: 8,
          padding: "left",
          fields: [{ field: "item", tensor: "recent_item", buckets: 5000 }],
          mask: "recent_mask",
        },
      ],
      candidate: [{ field: "item", tensor: "target_item", buckets: 5000 }],
      cand_user_index: "cand_user_index",
      outputs: { ctr: "ctr" },
    });
    const dir = join(work, "pit");
    const s = await samplesFromClickHouse(wh, { fromMs: T0, toMs: T0 + 86_400_000 }, dir, manifest, DEFAULT_SPEC, {
      allowedLatenessMs: 3_600_000,
    });
    expect(s.rows).toBe(want.length);
    expect(s.events).toBe(clicks.length);
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as {
      tensors: { name: string; dtype: string }[];
    };
    const maskSpec = meta.tensors.find((t) => t.name === "recent_mask")!;
    const raw = readFileSync(join(dir, "recent_mask.bin"));
    const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
    const mask = Array.from(maskSpec.dtype === "int64" ? new BigInt64Array(buf) : new Float32Array(buf), Number);
    const perRow = Array.from({ length: want.length }, (_, r) =>
      mask.slice(r * 8, (r + 1) * 8).reduce((a, b) => a + b, 0),
    );
    const tsRaw = readFileSync(join(dir, "ts.bin"));
    const ts = Array.from(new Float64Array(tsRaw.buffer.slice(tsRaw.byteOffset, tsRaw.byteOffset + tsRaw.byteLength)));
    // Rows are written as their cut comes; order them by time to compare.
    const got = ts.map((t, r) => [t - T0, perRow[r]!] as [number, number]).sort((a, b) => a[0] - b[0]);
    expect(got).toEqual(want);
    expect(s.positives.click).toBe(3);
    expect(readFileSync(join(dir, "labels.bin")).byteLength).toBe(want.length * 3 * 4);
  });
});
