import { compileSchema, type CompiledSchema } from "./compile.js";
import { pointerToPath, problemText, shortValue, valueAt } from "./describe.js";
import { idProblem } from "./formats.js";
import type { BehaviourEvent as BehaviourEventV1Wire } from "./generated/event.v1.js";
import { loadSchema, seqlaneExtension, type SchemaDocument } from "./schemas.js";

/** Why a message was rejected; stable strings, used as the DLQ `reason`, the recorder's
 *  `events_rejected.reason` prefix and a metric attribute. */
export type RejectKind =
  | "bad_json"
  | "not_object"
  | "missing_field"
  | "wrong_type"
  | "invalid_value"
  | "unknown_type"
  | "future_ts"
  | "oversized"
  | "schema_version";

/** One rejection: the kind, the field at fault (`$` for the whole message) and why. */
export interface Rejection {
  readonly kind: RejectKind;
  readonly field: string;
  readonly reason: string;
}

interface EventExtension {
  readonly version: number;
  readonly maxBytes: number;
  readonly futureSkewMs: number;
  readonly rejectKinds: Readonly<Record<string, RejectKind>>;
  readonly fieldRejectKinds: Readonly<Record<string, Readonly<Record<string, RejectKind>>>>;
}

/** Keys whose wire type is an id (string or integer). */
type IdField<W> = { [K in keyof W]-?: string extends W[K] ? (number extends W[K] ? K : never) : never }[keyof W];

/**
 * The canonical event every consumer sees after validation: the wire type generated from
 * schemas/event.v1.schema.json with ids as canonical strings, nulls dropped (absent) and
 * defaults filled in.
 */
export type BehaviourEvent = {
  readonly [K in keyof BehaviourEventV1Wire]: Exclude<
    BehaviourEventV1Wire[K],
    null | (K extends IdField<BehaviourEventV1Wire> ? number : never)
  >;
} & { readonly source: NonNullable<BehaviourEventV1Wire["source"]> };
export type { BehaviourEventV1Wire };
export type EventType = BehaviourEvent["type"];
export type EventSource = BehaviourEvent["source"];

/** A compiled version of the event contract. */
interface EventVersion {
  readonly schema: SchemaDocument;
  readonly ext: EventExtension;
  readonly compiled: CompiledSchema;
  readonly defs: Readonly<Record<string, unknown>>;
  /** The canonical event of a valid value: contract fields only, ids as strings, defaults filled in. */
  readonly canonical: (obj: Record<string, unknown>) => BehaviourEvent;
}

/**
 * Compiles the canonicalisation of a schema's fields into straight-line code (this runs once per
 * message: a loop over a field table cost as much as the validation itself). Field names come
 * from the schema file and are checked to be plain identifiers before they reach the code.
 */
function compileCanonical(fields: readonly (readonly [string, boolean, unknown])[]): EventVersion["canonical"] {
  const lines = ["const out = {};", "let v;"];
  for (const [name, isId, dflt] of fields) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`event schema: field name ${name} is not an identifier`);
    lines.push(`v = o.${name};`);
    const value = isId ? `(typeof v === "number" ? String(v) : v)` : "v";
    const otherwise = dflt === undefined ? "" : ` else out.${name} = ${JSON.stringify(dflt)};`;
    lines.push(`if (v !== undefined && v !== null) out.${name} = ${value};${otherwise}`);
  }
  lines.push("return out;");
  return new Function("o", lines.join("\n")) as EventVersion["canonical"];
}

function compileVersion(schema: SchemaDocument): EventVersion {
  const props = schema.properties as Record<string, Record<string, unknown>>;
  return {
    schema,
    ext: seqlaneExtension<EventExtension>(schema),
    compiled: compileSchema(schema),
    defs: (schema.$defs ?? {}) as Record<string, unknown>,
    canonical: compileCanonical(
      Object.entries(props).map(
        ([k, s]) => [k, typeof s.$ref === "string" && /^#\/\$defs\/(optionalId|id)$/.test(s.$ref), s.default] as const,
      ),
    ),
  };
}

/**
 * Every event schema version this code reads, by `schema` number. A new version adds its file
 * here (and an upgrade of older events to the newest canonical form); old messages keep working.
 */
const VERSIONS: ReadonlyMap<number, EventVersion> = new Map(
  ["event.v1"].map((name) => {
    const v = compileVersion(loadSchema(name));
    return [v.ext.version, v] as const;
  }),
);
const LATEST = [...VERSIONS.values()].at(-1)!;

/** The newest event schema version, its JSON Schema and its limits. */
export const EVENT_SCHEMA_VERSION: number = LATEST.ext.version;
export const eventSchema: SchemaDocument = LATEST.schema;
/** Largest accepted message in bytes (the contract's default; services may lower it). */
export const EVENT_MAX_BYTES: number = LATEST.ext.maxBytes;
/** How far past the message's Kafka timestamp an event time may lie. */
export const EVENT_FUTURE_SKEW_MS: number = LATEST.ext.futureSkewMs;
const enumOf = (field: string): readonly string[] =>
  (LATEST.schema.properties as Record<string, { enum: string[] }>)[field]!.enum.filter((x) => x !== null);
export const EVENT_TYPES = enumOf("type") as readonly EventType[];
export const EVENT_SOURCES = enumOf("source") as readonly EventSource[];
export const SUPPORTED_EVENT_VERSIONS: readonly number[] = [...VERSIONS.keys()];

export type EventCheck =
  { readonly ok: true; readonly event: BehaviourEvent } | { readonly ok: false; readonly rejection: Rejection };

const reject = (kind: RejectKind, field: string, reason: string): EventCheck => ({
  ok: false,
  rejection: { kind, field, reason },
});

/**
 * Checks a parsed JSON value against the event contract and returns the canonical event, or
 * the first rejection. `referenceTs` is the message's Kafka timestamp (epoch ms): ingest, the
 * recorder and replay all judge "in the future" against it, so the three decide alike however
 * late each of them reads the message. Never throws, never serialises the value.
 */
export function checkEvent(
  value: unknown,
  referenceTs: number | undefined,
  futureSkewMs = EVENT_FUTURE_SKEW_MS,
): EventCheck {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return reject("not_object", "$", "must be a JSON object");
  const obj = value as Record<string, unknown>;
  const version = obj.schema;
  if (version === undefined)
    return reject("missing_field", "schema", `is required (one of ${SUPPORTED_EVENT_VERSIONS.join(", ")})`);
  const v = typeof version === "number" ? VERSIONS.get(version) : undefined;
  if (v === undefined) {
    return reject(
      "schema_version",
      "schema",
      `version ${shortValue(version)} is not supported (supported: ${SUPPORTED_EVENT_VERSIONS.join(", ")})`,
    );
  }
  const bad = v.compiled.first(obj);
  if (bad !== undefined) {
    const field = pointerToPath(bad.pointer, bad.property);
    const kind = v.ext.fieldRejectKinds[field]?.[bad.keyword] ?? v.ext.rejectKinds[bad.keyword] ?? "invalid_value";
    return reject(kind, field, problemText(bad, valueAt(obj, bad.pointer), v.defs, idProblem));
  }
  const ts = obj.ts as number;
  if (referenceTs !== undefined && ts > referenceTs + futureSkewMs) {
    return reject(
      "future_ts",
      "ts",
      `is ${Math.round((ts - referenceTs) / 1000)} s after the message's Kafka timestamp (at most ${futureSkewMs / 1000} s allowed)`,
    );
  }
  return { ok: true, event: v.canonical(obj) };
}
