export { runDemo } from "./demo/run-demo.js";
export type { DemoOptions, DemoResult } from "./demo/run-demo.js";
export { parseDemoArgs } from "./demo/args.js";
export type { DemoArgs } from "./demo/args.js";
export { publishModel, PublishError } from "./models/publish.js";
export type { PublishResult } from "./models/publish.js";
export { replayEvents, replayFile } from "./replay/replay-file.js";
export type { ReplaySummary } from "./replay/replay-file.js";
export { clickhouseEvents } from "./replay/clickhouse-events.js";
