import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dinFixture, writeModelVersion } from "@seqlane/models";
import { seedUserHistory } from "@seqlane/scorer";
import { post, rand, setupScorer, waitFor, type ScorerEnv } from "./scorer-support.js";

let env: ScorerEnv;
beforeAll(async () => {
  env = await setupScorer();
});
afterAll(async () => env?.close());

describe("hot reload under concurrent load", () => {
  it("new versions swap in with no failed request; broken versions leave the old one serving", async () => {
    const users = Array.from({ length: 8 }, () => rand("user"));
    for (const u of users) await seedUserHistory(env.store, u, { clicks: 150, mixed: 10 });
    const { scorer, url } = await env.scorer({ registryPollMs: 50, releaseGraceMs: 500 });
    const seen = new Map<string, number>();
    const failures: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      let i = 0;
      while (!stop) {
        const r = await post(`${url}/v1/score`, {
          user_id: users[w]!,
          candidates: Array.from({ length: 30 }, (_, k) => ({ item_id: k * 13 + i, category_id: k % 5 })),
          model: "din",
        });
        if (r.status !== 200) failures.push(`${r.status} ${JSON.stringify(r.body)}`);
        else seen.set(r.body.version, (seen.get(r.body.version) ?? 0) + 1);
        i++;
      }
    };
    const running = users.map((_, w) => worker(w));
    const waitServing = (v: string) => waitFor(`version ${v}`, () => scorer.registry.get("din")?.version === v);
    await new Promise((r) => setTimeout(r, 300));
    const v2 = dinFixture({ seed: 41, version: "2" });
    await writeModelVersion(env.registryDir, v2.manifest, v2.onnx);
    await waitServing("2");
    await new Promise((r) => setTimeout(r, 300));
    // broken: outputs outside [0, 1]
    const v3 = dinFixture({ seed: 42, version: "3", sigmoid: false });
    await writeModelVersion(env.registryDir, v3.manifest, v3.onnx);
    // broken: truncated model file
    await mkdir(join(env.registryDir, "din", "4"));
    await writeFile(join(env.registryDir, "din", "4", "model.onnx"), v2.onnx.subarray(0, 1000));
    await writeFile(
      join(env.registryDir, "din", "4", "manifest.json"),
      JSON.stringify({ ...v2.manifest, version: "4" }),
    );
    await waitFor("failures", () => scorer.registry.failures().length === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(scorer.registry.get("din")!.version).toBe("2");
    const v5 = dinFixture({ seed: 43, version: "5" });
    await writeModelVersion(env.registryDir, v5.manifest, v5.onnx);
    await waitServing("5");
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(running);
    expect(failures).toEqual([]);
    expect([...seen.keys()].sort()).toEqual(["1", "2", "5"]);
    expect(Object.fromEntries(scorer.registry.failures().map((f) => [f.version, f.stage]))).toEqual({
      "3": "check",
      "4": "session",
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON responses field by field
    const models = (await (await fetch(`${url}/v1/models`)).json()) as any;
    expect(models.failures.map((f: { version: string }) => f.version).sort()).toEqual(["3", "4"]);
  });
});
