/**
 * Custom JSON Schema formats of Seqlane's contracts. Each is implemented once here for
 * TypeScript and once in training/src/seqlane_train/contracts.py for Python; the shared vectors
 * in vectors/ check that both give the same verdicts.
 */

/** Longest id, in UTF-8 bytes. */
export const MAX_ID_BYTES = 128;

// With the u flag a surrogate range matches only unpaired (lone) surrogates.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const ANY_BAD = /[\u0000-\u001f\u007f]|[\uD800-\uDFFF]/u;

function utf8Bytes(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, "utf8");
  return s.length;
}

/**
 * Why a string is not a `seqlane-id`, or undefined when it is one: 1..128 UTF-8 bytes,
 * well-formed Unicode (a lone UTF-16 surrogate has no UTF-8 form, so ClickHouse, Redis keys and
 * id hashing would each read it differently), no control character.
 */
export function idProblem(s: string): string | undefined {
  if (s.length === 0) return "must not be empty";
  if (s.length > MAX_ID_BYTES / 3 && utf8Bytes(s) > MAX_ID_BYTES) return `must be at most ${MAX_ID_BYTES} UTF-8 bytes`;
  // One scan for the common (valid) case; the reason is worked out only for a bad id.
  if (!ANY_BAD.test(s)) return undefined;
  if (LONE_SURROGATE.test(s)) return "must be well-formed Unicode (it holds a lone UTF-16 surrogate)";
  return "must not contain control characters";
}

/** Formats by name, as JSON Schema `format` values. */
export const FORMATS: Readonly<Record<string, (s: string) => string | undefined>> = {
  "seqlane-id": idProblem,
};
