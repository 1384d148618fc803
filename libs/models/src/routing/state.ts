import { compileSchema, loadSchema, pointerToPath, problemText, valueAt, type RoutingState } from "@seqlane/contracts";
import { RoutingError } from "../errors.js";
import type { ManifestIssue } from "../errors.js";

const schema = loadSchema("routing.v1");
const compiled = compileSchema(schema);
const defs = (schema.$defs ?? {}) as Readonly<Record<string, unknown>>;

/** Rules beside the schema: the canary and the shadows are other versions than the serving one. */
function semantic(r: RoutingState, issues: ManifestIssue[]): void {
  if (r.canary != null && r.canary.version === r.serving)
    issues.push({ path: "canary.version", problem: `must differ from serving (${r.serving})` });
  (r.shadow ?? []).forEach((v, i) => {
    if (v === r.serving) issues.push({ path: `shadow[${i}]`, problem: `${v} is the serving version` });
    if (r.canary != null && v === r.canary.version)
      issues.push({ path: `shadow[${i}]`, problem: `${v} is the canary version` });
  });
}

/**
 * Checks a parsed routing.json against schemas/routing.v1.schema.json (libs/contracts) and the
 * rules beside it; returns it typed, or throws RoutingError naming every bad field
 * (`canary.share: must be <= 1, got 1.5`).
 */
export function checkRouting(value: unknown, file?: string): RoutingState {
  const issues: ManifestIssue[] = compiled.all(value).map((v) => ({
    path: pointerToPath(v.pointer, v.property),
    problem: problemText(v, valueAt(value, v.pointer), defs),
  }));
  if (issues.length === 0) semantic(value as RoutingState, issues);
  if (issues.length > 0) throw new RoutingError(issues, file);
  return value as RoutingState;
}

/** The versions a routing state names (serving, canary, shadows), for checks against the registry. */
export function routedVersions(r: RoutingState): string[] {
  return [r.serving, ...(r.canary != null ? [r.canary.version] : []), ...(r.shadow ?? [])];
}
