import { parseCommand } from "../args.js";
import { load, scorer } from "@seqlane/config";
import { publishModel } from "../models/publish.js";

const USAGE = `usage: seqlane models publish --from EXPORT_DIR [--registry DIR] [--require-parity]

Validates an exported model (manifest.json against the v1 schema; parity/ outputs of PyTorch
against onnxruntime-node to the recorded tolerance) and copies it into the registry as
<registry>/<name>/<version>/, which a running scorer picks up without restart.
--registry defaults to SEQLANE_MODEL_REGISTRY.`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== "publish") {
    console.error(
      sub === undefined || sub === "--help"
        ? USAGE
        : `seqlane models: unknown sub-command ${JSON.stringify(sub)}\n\n${USAGE}`,
    );
    return sub === "--help" ? 0 : 2;
  }
  const a = parseCommand(
    "models publish",
    rest,
    { from: { type: "string" }, registry: { type: "string" }, "require-parity": { type: "boolean" } },
    USAGE,
  );
  if (typeof a === "number") return a;
  if (a.from === undefined) {
    console.error(`seqlane models publish: --from is required\n\n${USAGE}`);
    return 2;
  }
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
