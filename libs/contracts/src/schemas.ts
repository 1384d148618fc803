import { readFileSync } from "node:fs";

/** A JSON Schema document as loaded from schemas/ (plain data). */
export type SchemaDocument = Readonly<Record<string, unknown>>;

const dir = new URL("../schemas/", import.meta.url);

/**
 * Loads `schemas/<name>.schema.json`, the one definition of a contract. The same files are read
 * by training/ (Python) and listed in the README's architecture section.
 */
export function loadSchema(name: string): SchemaDocument {
  return JSON.parse(readFileSync(new URL(`${name}.schema.json`, dir), "utf8")) as SchemaDocument;
}

/** The `x-seqlane` block of a schema: contract constants that are data, not validation rules. */
export function seqlaneExtension<T>(schema: SchemaDocument): T {
  return schema["x-seqlane"] as T;
}
