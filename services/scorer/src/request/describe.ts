/**
 * A client value as an error message may show it: by type, never the value itself (a value can
 * be 5,000 arrays deep, which JSON.stringify cannot print, or a megabyte long). Numbers are the
 * exception: they print short and are what the reader needs ("integer in [0, 23] (got 24)").
 */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return `string of ${v.length} characters`;
  return typeof v;
}
