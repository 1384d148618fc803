import { parseCommand, parseCommandWithPositionals } from "../args.js";
import { clickhouse, load, rollout, scorer } from "@seqlane/config";
import { createWarehouse, modelName, parseSince } from "@seqlane/warehouse";
import { publishModel } from "../models/publish.js";
import type { DecideBase } from "../rollout/decide.js";
import { changeRouting, cliUser, type ManualChange } from "../rollout/manual.js";
import { decideCommand, ruleFromConfig, statusCommand } from "../rollout/commands.js";

const USAGE = `usage: seqlane models publish --from EXPORT_DIR [--registry DIR] [--require-parity]
       seqlane models status [--model M] [--since 24h] [--registry DIR]
       seqlane models canary M V [--share 0.1] [--serving S] [--registry DIR]
       seqlane models shadow M V [--remove] [--serving S] [--registry DIR]
       seqlane models promote M V [--registry DIR]
       seqlane models rollback M [--registry DIR]
       seqlane models decide [--model M] [--dry-run] [--registry DIR]
       seqlane models decide --worker

publish   validates an exported model (manifest.json against the v1 schema; parity/ outputs of
          PyTorch against onnxruntime-node to the recorded tolerance) and copies it into the
          registry as <registry>/<name>/<version>/, which a running scorer picks up without restart
status    per model: versions, routing (routing.json, else SEQLANE_TRAFFIC_SPLIT, else the newest),
          the latest decision, the live arms of a canary with the rule's verdict, each shadow
          against the served scores (--since, default 24h)
canary    serves V to a share of users by user-id hash (default SEQLANE_CANARY_SHARE), beside the
          serving version (routing.json's, else --serving, else the newest other version)
shadow    scores V for every request after the response, logged with shadow: true, never served
promote   V serves everyone (any canary ends); rollback: the canary ends
decide    applies the declared rule (SEQLANE_CANARY_*) to each model with a canary now, records
          the decision in model_decisions and promotes or rolls back; --dry-run records and changes
          nothing; --worker runs it every SEQLANE_DECIDE_EVERY_MS (BullMQ) until SIGTERM

Every change is written to <registry>/<model>/routing.json (temp file + rename; running scorers
reload it on their next registry scan) and recorded in ClickHouse model_decisions, by cli:<user>.
--registry defaults to SEQLANE_MODEL_REGISTRY. Exit 0 done, 1 refused or failed, 2 bad usage.`;

const REGISTRY = { registry: { type: "string" } } as const;

async function withBase(
  registry: string | undefined,
  by: string,
  f: (b: DecideBase) => Promise<number>,
): Promise<number> {
  const ch = load(clickhouse);
  const wh = createWarehouse({ url: ch.url, database: ch.database, username: ch.user, password: ch.password });
  try {
    return await f({ warehouse: wh, registry: registry ?? load(scorer).registryDir, by, ...ruleFromConfig() });
  } finally {
    await wh.close();
  }
}

function usageError(sub: string, why: string): number {
  console.error(`seqlane models ${sub}: ${why}\n\n${USAGE}`);
  return 2;
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case "publish":
      return publish(rest);
    case "status":
      return status(rest);
    case "canary":
    case "shadow":
    case "promote":
    case "rollback":
      return change(sub, rest);
    case "decide":
      return decideCommand(rest, USAGE);
    default:
      console.error(
        sub === undefined || sub === "--help" || sub === "-h"
          ? USAGE
          : `seqlane models: unknown sub-command ${JSON.stringify(sub)}\n\n${USAGE}`,
      );
      return sub === "--help" || sub === "-h" ? 0 : 2;
  }
}

async function publish(rest: string[]): Promise<number> {
  const a = parseCommand(
    "models publish",
    rest,
    { from: { type: "string" }, ...REGISTRY, "require-parity": { type: "boolean" } },
    USAGE,
  );
  if (typeof a === "number") return a;
  if (a.from === undefined) return usageError("publish", "--from is required");
  const registry = a.registry ?? load(scorer).registryDir;
  try {
    const r = await publishModel(a.from, registry, { requireParity: a["require-parity"] ?? false });
    const parity = r.parity
      ? `parity max |diff| ${r.parity.maxAbsDiff.toExponential(2)} <= ${r.parity.tolerance}`
      : "no parity files";
    console.log(`published ${r.name} v${r.version} to ${r.dir} (${parity})`);
    return 0;
  } catch (e) {
    console.error(`seqlane models publish: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

async function status(rest: string[]): Promise<number> {
  const a = parseCommand(
    "models status",
    rest,
    { model: { type: "string" }, since: { type: "string" }, ...REGISTRY },
    USAGE,
  );
  if (typeof a === "number") return a;
  let since: number;
  try {
    if (a.model !== undefined) modelName(a.model);
    since = parseSince(a.since ?? "24h", Date.now(), "--since");
  } catch (e) {
    return usageError("status", e instanceof Error ? e.message : String(e));
  }
  return withBase(a.registry, cliUser(), (base) =>
    statusCommand(base, {
      ...(a.model === undefined ? {} : { model: a.model }),
      sinceMs: since,
      split: load(scorer).trafficSplit,
    }),
  );
}

async function change(sub: "canary" | "shadow" | "promote" | "rollback", rest: string[]): Promise<number> {
  const p = parseCommandWithPositionals(
    `models ${sub}`,
    rest,
    { share: { type: "string" }, serving: { type: "string" }, remove: { type: "boolean" }, ...REGISTRY },
    USAGE,
  );
  if (typeof p === "number") return p;
  const a = p.values;
  let parsed: { model: string; change: ManualChange };
  try {
    const [model, version, extra] = p.positionals;
    if (model === undefined) throw new Error("the model is required");
    modelName(model);
    const want = sub === "rollback" ? 0 : 1;
    if ((want === 1 && version === undefined) || (want === 0 && version !== undefined) || extra !== undefined)
      throw new Error(sub === "rollback" ? "takes the model only" : "takes the model and the version");
    if (version !== undefined) modelName(version, "version");
    if (a.serving !== undefined) modelName(a.serving, "--serving");
    const serving = a.serving === undefined ? {} : { serving: a.serving };
    if (sub === "canary") {
      const share = a.share === undefined ? load(rollout).canaryShare : Number(a.share);
      if (!(share > 0 && share <= 1)) throw new Error(`--share must be in (0, 1], got ${JSON.stringify(a.share)}`);
      parsed = { model, change: { kind: "canary", version: version!, share, ...serving } };
    } else if (sub === "shadow") {
      parsed = { model, change: { kind: "shadow", version: version!, remove: a.remove === true, ...serving } };
    } else if (sub === "promote") parsed = { model, change: { kind: "promote", version: version! } };
    else parsed = { model, change: { kind: "rollback" } };
  } catch (e) {
    return usageError(sub, e instanceof Error ? e.message : String(e));
  }
  return withBase(a.registry, cliUser(), async (base) => {
    try {
      const r = await changeRouting(base, parsed.model, parsed.change);
      console.log(`${parsed.model}: ${r.row.reason}; recorded in model_decisions`);
      return 0;
    } catch (e) {
      console.error(`seqlane models ${sub}: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
  });
}
