/**
 * Straightforward reference implementations the library's metrics (JS and SQL) are checked
 * against: pairwise AUC (O(P*N), ties count 1/2), per-user grouping by hand.
 */
export function pairwiseAuc(scores: readonly number[], labels: readonly number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      const a = scores[i] as number;
      const b = scores[j] as number;
      wins += a > b ? 1 : a === b ? 0.5 : 0;
    }
  }
  return pairs === 0 ? Number.NaN : wins / pairs;
}

export function referenceGauc(users: readonly string[], scores: readonly number[], labels: readonly number[]): number {
  const groups = new Map<string, number[]>();
  users.forEach((u, i) => groups.set(u, [...(groups.get(u) ?? []), i]));
  let num = 0;
  let den = 0;
  for (const idx of groups.values()) {
    const a = pairwiseAuc(
      idx.map((i) => scores[i] as number),
      idx.map((i) => labels[i] as number),
    );
    if (Number.isNaN(a)) continue;
    num += idx.length * a;
    den += idx.length;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** Seeded PRNG (mulberry32) so a failing case can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random scores on a coarse grid (many ties) and labels correlated with them. */
export function tiedSample(
  n: number,
  seed: number,
  users = 20,
): { users: string[]; scores: number[]; labels: number[] } {
  const r = rng(seed);
  const out = { users: [] as string[], scores: [] as number[], labels: [] as number[] };
  for (let i = 0; i < n; i++) {
    const s = Math.floor(r() * 21) / 20; // 0, 0.05, ..., 1: ties everywhere, both ends included
    out.scores.push(s);
    out.labels.push(r() < 0.15 + 0.6 * s ? 1 : 0);
    out.users.push(`u${Math.floor(r() * users)}`);
  }
  return out;
}
