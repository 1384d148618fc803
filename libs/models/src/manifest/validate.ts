import {
  compileSchema,
  loadSchema,
  pointerToPath,
  problemText,
  valueAt,
  type SchemaDocument,
} from "@seqlane/contracts";
import type { Manifest } from "@seqlane/features";
import { ManifestError, type ManifestIssue } from "../errors.js";

/** The manifest v1 JSON Schema (libs/contracts/schemas/manifest.v1.schema.json), for tools and docs. */
export const manifestSchema: SchemaDocument = loadSchema("manifest.v1");
const compiled = compileSchema(manifestSchema);
const defs = (manifestSchema.$defs ?? {}) as Readonly<Record<string, unknown>>;

const NEEDS_BUCKETS = new Set(["item", "category", "brand", "time_gap"]);

/**
 * Rules a JSON Schema cannot say, run on a manifest that passed the schema. They are written
 * twice, here and in training/src/seqlane_train/manifest.py (`_semantic`), in the same order and
 * with the same paths; libs/contracts/vectors/manifest/ pins both to the same verdicts.
 */
function semantic(m: Manifest, issues: ManifestIssue[]): void {
  const names = new Map<string, string>();
  const claim = (tensor: string, path: string) => {
    const prev = names.get(tensor);
    if (prev !== undefined)
      issues.push({ path, problem: `tensor name ${JSON.stringify(tensor)} is already used by ${prev}` });
    else names.set(tensor, path);
  };
  m.slots.forEach((slot, s) => {
    const at = `slots[${s}]`;
    const seen = new Set<string>();
    slot.fields.forEach((f, i) => {
      if (seen.has(f.field))
        issues.push({ path: `${at}.fields[${i}].field`, problem: `field ${f.field} is repeated in this slot` });
      seen.add(f.field);
      if (NEEDS_BUCKETS.has(f.field) && f.buckets === undefined)
        issues.push({ path: `${at}.fields[${i}].buckets`, problem: `is required for field ${f.field}` });
      claim(f.tensor, `${at}.fields[${i}].tensor`);
    });
    if (slot.mask !== undefined) claim(slot.mask, `${at}.mask`);
    const lb = slot.length_buckets;
    if (lb !== undefined) {
      if (lb[lb.length - 1] !== slot.max_len)
        issues.push({
          path: `${at}.length_buckets`,
          problem: `last bucket must equal max_len ${slot.max_len} (got ${lb[lb.length - 1]})`,
        });
      for (let i = 1; i < lb.length; i++)
        if (lb[i]! <= lb[i - 1]!)
          issues.push({
            path: `${at}.length_buckets[${i}]`,
            problem: "must be greater than the one before (ascending)",
          });
    }
    if (slot.view === "sessions" && slot.max_sessions === undefined)
      issues.push({ path: `${at}.max_sessions`, problem: "is required when view is sessions" });
    if (slot.view !== "sessions" && slot.max_sessions !== undefined)
      issues.push({ path: `${at}.max_sessions`, problem: "is only allowed when view is sessions" });
  });
  const slotNames = new Set<string>();
  m.slots.forEach((slot, s) => {
    if (slotNames.has(slot.name))
      issues.push({ path: `slots[${s}].name`, problem: `slot name ${slot.name} is repeated` });
    slotNames.add(slot.name);
  });
  m.candidate.forEach((f, i) => claim(f.tensor, `candidate[${i}].tensor`));
  (m.context ?? []).forEach((f, i) => claim(f.tensor, `context[${i}].tensor`));
  claim(m.cand_user_index, "cand_user_index");
  for (const task of m.tasks) {
    const out = m.outputs[task];
    if (out === undefined) issues.push({ path: `outputs.${task}`, problem: `is required because tasks lists ${task}` });
    else claim(out, `outputs.${task}`);
  }
  for (const task of Object.keys(m.outputs))
    if (!m.tasks.includes(task as Manifest["tasks"][number]))
      issues.push({ path: `outputs.${task}`, problem: `has no task ${task} in tasks` });
}

/** Every way `json` breaks manifest v1 (the schema first; the semantic rules only once it holds). */
function manifestIssues(json: unknown): ManifestIssue[] {
  const issues: ManifestIssue[] = compiled.all(json).map((v) => ({
    path: pointerToPath(v.pointer, v.property),
    problem: problemText(v, valueAt(json, v.pointer), defs),
  }));
  if (issues.length === 0) semantic(json as Manifest, issues);
  return issues;
}

/**
 * Checks untrusted JSON against manifest v1 (schema, then semantic rules) and returns it typed.
 * @throws ManifestError naming each bad field and why.
 */
export function validateManifest(json: unknown, file?: string): Manifest {
  const issues = manifestIssues(json);
  if (issues.length > 0) throw new ManifestError(issues, file);
  return json as Manifest;
}
