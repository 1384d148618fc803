import { readFileSync } from "node:fs";
import { SpecError } from "../errors.js";
import { BEHAVIOUR_CODES, SEQUENCE_NAMES } from "../types.js";
import type { BehaviourType, SequenceName } from "../types.js";
import { DEFAULT_SPEC } from "./spec.js";
import type { SequenceDef, SequenceSpec, Source } from "./spec.js";

/** Upper bound of all max lengths together: records are indexed with uint16 in the packed form. */
export const MAX_TOTAL_LENGTH = 60_000;

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new SpecError(path, `must be an integer between ${min} and ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function subset<T extends string>(v: unknown, path: string, allowed: readonly T[]): T[] {
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => !allowed.includes(x as T))) {
    throw new SpecError(path, `must be a non-empty array of ${allowed.join(", ")}`);
  }
  return [...new Set(v as T[])];
}

function checkKeys(obj: Json, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k))
      throw new SpecError(`${path}.${k}`, `unknown key (expected one of ${allowed.join(", ")})`);
  }
}

/**
 * Builds a spec from its JSON form, each field optional and defaulting to DEFAULT_SPEC:
 * `{"version": 1, "dedup_capacity": 256, "sequences": {"long_click": {"max_length": 500,
 * "max_age_ms": 864e5, "types": ["click"], "sources": ["server","device"], "remove_on_click": false}}}`.
 * Sequence names are the five of the contract; unknown keys are errors (typos fail loudly).
 */
export function parseSpec(json: unknown): SequenceSpec {
  if (!isObj(json)) throw new SpecError("$", "must be a JSON object");
  checkKeys(json, "$", ["version", "dedup_capacity", "sequences"]);
  if (json["version"] !== undefined && json["version"] !== 1) throw new SpecError("$.version", "must be 1");
  const seqs = json["sequences"] ?? {};
  if (!isObj(seqs)) throw new SpecError("$.sequences", "must be an object keyed by sequence name");
  checkKeys(seqs, "$.sequences", SEQUENCE_NAMES);
  const out = {} as Record<SequenceName, SequenceDef>;
  let total = 0;
  for (const name of SEQUENCE_NAMES) {
    const base = DEFAULT_SPEC.sequences[name];
    const o = seqs[name] ?? {};
    const p = `$.sequences.${name}`;
    if (!isObj(o)) throw new SpecError(p, "must be an object");
    checkKeys(o, p, ["types", "sources", "max_length", "max_age_ms", "remove_on_click"]);
    const def: SequenceDef = {
      types:
        o["types"] === undefined
          ? base.types
          : subset(o["types"], `${p}.types`, Object.keys(BEHAVIOUR_CODES) as BehaviourType[]),
      sources:
        o["sources"] === undefined ? base.sources : subset<Source>(o["sources"], `${p}.sources`, ["server", "device"]),
      maxLength:
        o["max_length"] === undefined ? base.maxLength : int(o["max_length"], `${p}.max_length`, 1, MAX_TOTAL_LENGTH),
      maxAgeMs:
        o["max_age_ms"] === undefined
          ? base.maxAgeMs
          : int(o["max_age_ms"], `${p}.max_age_ms`, 0, 100 * 365 * 86_400_000),
      removeOnClick:
        o["remove_on_click"] === undefined ? base.removeOnClick : bool(o["remove_on_click"], `${p}.remove_on_click`),
    };
    total += def.maxLength;
    out[name] = def;
  }
  if (total > MAX_TOTAL_LENGTH)
    throw new SpecError("$.sequences", `max lengths add up to ${total}, the limit is ${MAX_TOTAL_LENGTH}`);
  const dedup =
    json["dedup_capacity"] === undefined
      ? DEFAULT_SPEC.dedupCapacity
      : int(json["dedup_capacity"], "$.dedup_capacity", 1, 65_535);
  return { sequences: out, dedupCapacity: dedup };
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== "boolean") throw new SpecError(path, "must be true or false");
  return v;
}

/** Reads a spec file (SEQLANE_SEQUENCE_SPEC); an empty path means the defaults. */
export function loadSpec(path: string): SequenceSpec {
  if (path === "") return DEFAULT_SPEC;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new SpecError(path, `cannot be read (${e instanceof Error ? e.message : String(e)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SpecError(path, `is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseSpec(json);
}
