export { createGenerator } from "./generator.js";
export type { GeneratedEvent, Generator, GeneratorOptions, ShownItem } from "./generator.js";
export type { CatalogItem } from "./catalog.js";
export { createRng } from "./rng.js";
export type { Rng } from "./rng.js";
