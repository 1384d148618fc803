import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publishModel } from "@seqlane/cli";
import { seedUserHistory } from "@seqlane/scorer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, setupScorer, type ScorerEnv } from "./scorer-support.js";

// Models trained by training/ (PyTorch), exported, published through the onnxruntime-node
// parity check, and served by the scorer over real Redis and Kafka.
const root = join(import.meta.dirname, "..", "..");
const python = join(root, "training", ".venv", "bin", "python");
const haveVenv = existsSync(python);

let env: ScorerEnv;
const work = mkdtempSync(join(tmpdir(), "it-trained-"));

function train(model: string, head: string): string {
  const out = join(work, model);
  execFileSync(
    python,
    [
      "-m",
      "seqlane_train",
      "fit",
      "--model",
      model,
      "--data",
      join(work, "samples"),
      "--out",
      out,
      "--epochs",
      "1",
      "--head",
      head,
      "--version",
      "7",
      "--threads",
      "1",
      "--quiet",
    ],
    { cwd: join(root, "training"), stdio: "pipe", timeout: 300_000 },
  );
  return out;
}

describe.skipIf(!haveVenv)(
  "trained models served by the scorer (needs training/.venv: bash training/scripts/venv.sh)",
  () => {
    beforeAll(async () => {
      execFileSync(python, ["-m", "seqlane_train", "synth", "--out", join(work, "samples"), "--rows", "3000"], {
        cwd: join(root, "training"),
        stdio: "pipe",
      });
      env = await setupScorer();
    }, 600_000);
    afterAll(async () => env?.close());

    it("publishes a trained DIN (CTR) and DMT (CTR + CVR) and scores with both", async () => {
      const din = await publishModel(train("din", "ctr"), env.registryDir, { requireParity: true });
      const dmt = await publishModel(train("dmt", "mmoe"), env.registryDir, { requireParity: true });
      expect(din.parity!.maxAbsDiff).toBeLessThanOrEqual(1e-5);
      expect(dmt.parity!.maxAbsDiff).toBeLessThanOrEqual(1e-5);

      await seedUserHistory(env.store, "trained-u1", { clicks: 300, mixed: 20, items: 500, categories: 20 });
      const { url } = await env.scorer();
      const candidates = Array.from({ length: 25 }, (_, i) => ({
        item_id: String(i + 1),
        category_id: String(1 + (i % 20)),
      }));
      for (const model of ["din", "dmt"]) {
        const r = await post(`${url}/v1/score`, { user_id: "trained-u1", model, candidates });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body.model).toBe(model);
        expect(r.body.version).toBe("7");
        expect(r.body.scores).toHaveLength(25);
        for (const s of r.body.scores) {
          expect(s.ctr).toBeGreaterThanOrEqual(0);
          expect(s.ctr).toBeLessThanOrEqual(1);
          if (model === "dmt") expect(s.cvr).toBeGreaterThanOrEqual(0);
        }
        // A trained model tells candidates apart.
        expect(new Set(r.body.scores.map((s: { ctr: number }) => s.ctr.toFixed(6))).size).toBeGreaterThan(1);
      }
    }, 600_000);
  },
);
