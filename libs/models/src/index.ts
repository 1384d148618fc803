export { MicroBatcher } from "./batcher/batcher.js";
export type { BatcherOptions } from "./batcher/batcher.js";
export {
  InferenceError,
  ManifestError,
  ModelError,
  ModelLoadError,
  RoutingConflictError,
  RoutingError,
} from "./errors.js";
export type { ManifestIssue } from "./errors.js";
export { dinFixture } from "./fixtures/din.js";
export type { DinWeights } from "./fixtures/din.js";
export { poolingFixture } from "./fixtures/pooling.js";
export type { Fixture, FixtureOptions, PoolingWeights } from "./fixtures/pooling.js";
export { reference } from "./fixtures/reference.js";
export type { ReferenceScores } from "./fixtures/reference.js";
export { writeFixtureModels, writeModelVersion } from "./fixtures/write.js";
export type { FixtureSet } from "./fixtures/write.js";
export { consoleLogger, silentLogger } from "./logger.js";
export type { Logger } from "./logger.js";
export { manifestSchema, validateManifest } from "./manifest/validate.js";
export { LoadedModel } from "./model/model.js";
export type { ModelScores } from "./model/model.js";
export { lengthCombinations, warmUpAndCheck } from "./model/warmup.js";
export { chooseRows, tuneBatchRows, tuneSizes } from "./model/tune.js";
export type { BatchTuning, TuneOptions } from "./model/tune.js";
export { ModelRegistry } from "./registry/registry.js";
export type { LoadFailure, RegistryOptions } from "./registry/registry.js";
export { compareVersions } from "./registry/versions.js";
export { openSession } from "./session/open.js";
export { openInlineRunner, openRunner, openWorkerRunner } from "./session/runner.js";
export type { RunOutput, SessionRunner } from "./session/runner.js";
export type { ExecutionProvider, OpenedSession, SessionConfig } from "./session/open.js";
export { checkRouting, routedVersions } from "./routing/state.js";
export { ROUTING_FILE, readRouting, routingPath, writeRouting } from "./routing/file.js";
export type { RoutingRead } from "./routing/file.js";
export { promote, rollback, setShadow, startCanary } from "./routing/transitions.js";
export type { Stamp } from "./routing/transitions.js";
