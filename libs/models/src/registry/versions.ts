/** Orders version names: numeric ones numerically, others by natural string order. Newest last. */
export function compareVersions(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) return Number(a) - Number(b) || a.localeCompare(b);
  return a.localeCompare(b, "en", { numeric: true });
}
