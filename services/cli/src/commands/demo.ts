import { DEMO_USAGE, parseDemoArgs } from "../demo/args.js";
import { runDemo } from "../demo/run-demo.js";

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseDemoArgs(argv);
  } catch (e) {
    console.error(`seqlane demo: ${e instanceof Error ? e.message : String(e)}\n\n${DEMO_USAGE}`);
    return 2;
  }
  if (args === "help") {
    console.log(DEMO_USAGE);
    return 0;
  }
  return (await runDemo(args)).code;
}
