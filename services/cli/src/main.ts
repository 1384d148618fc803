#!/usr/bin/env node
/**
 * `seqlane` command. Each sub-command lives in `commands/<name>.ts` and exports
 * `run(argv: string[]): Promise<number>` (the exit code). Loaded lazily so that a command's
 * heavy dependencies (onnxruntime, kafkajs) cost nothing to the others.
 */
const COMMANDS: Readonly<Record<string, string>> = {
  gen: "synthetic behaviour stream to Kafka or a file",
  replay: "rebuild sequences (or training samples) from an ordered event file",
  migrate: "apply ClickHouse migrations",
  eval: "evaluate models from ClickHouse",
  models: "publish models; canary, shadow, promote, roll back and decide by the declared rule",
  train: "retrain a model from ClickHouse (point-in-time samples, fit, parity) and publish it",
  demo: "run the whole pipeline on the local stack",
};

function usage(): string {
  return (
    "usage: seqlane <command> [options]\n\ncommands:\n" +
    Object.entries(COMMANDS)
      .map(([name, doc]) => `  ${name.padEnd(10)}${doc}`)
      .join("\n")
  );
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    console.error(`seqlane: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  const path = `./commands/${name}.js`;
  const mod = (await import(path)) as { run(argv: string[]): Promise<number> };
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`seqlane: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
