import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;
const HELP = { help: { type: "boolean", short: "h" } } as const;
type Values<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O & typeof HELP }>>["values"];

/**
 * Parses a sub-command's flags (strict, plus -h/--help). Returns the values, or the exit code
 * when the command is done: 0 after printing the usage for --help, 2 after naming a bad flag.
 */
export function parseCommand<O extends Options>(
  name: string,
  argv: string[],
  options: O,
  usage: string,
): Values<O> | number {
  let values: Values<O>;
  try {
    values = parseArgs({ args: argv, options: { ...options, ...HELP } }).values as Values<O>;
  } catch (e) {
    console.error(`seqlane ${name}: ${e instanceof Error ? e.message : String(e)}\n\n${usage}`);
    return 2;
  }
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    return 0;
  }
  return values;
}

/** `parseCommand` for commands that also take positional arguments (`seqlane models promote din 4`). */
export function parseCommandWithPositionals<O extends Options>(
  name: string,
  argv: string[],
  options: O,
  usage: string,
): { values: Values<O>; positionals: string[] } | number {
  let r;
  try {
    r = parseArgs({ args: argv, options: { ...options, ...HELP }, allowPositionals: true });
  } catch (e) {
    console.error(`seqlane ${name}: ${e instanceof Error ? e.message : String(e)}\n\n${usage}`);
    return 2;
  }
  if ((r.values as { help?: boolean }).help) {
    console.log(usage);
    return 0;
  }
  return { values: r.values as Values<O>, positionals: r.positionals };
}
