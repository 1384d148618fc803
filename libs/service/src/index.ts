export { loadAll } from "./config.js";
export type { SectionValues, Sections } from "./config.js";
export { EXIT, runService } from "./run.js";
export type { RunningService, ServiceContext, ServiceDefinition } from "./run.js";
