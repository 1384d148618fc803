import { bucket, rawId64Into } from "@seqlane/features";

/** Per model, version -> relative weight. */
export type SplitTable = ReadonlyMap<string, readonly { version: string; weight: number }[]>;

/**
 * Parses SEQLANE_TRAFFIC_SPLIT: `din=3:90,4:10;pooling=1:50,2:50` (models separated by `;`,
 * weights relative). Throws naming the bad part.
 */
export function parseSplit(text: string): SplitTable {
  const table = new Map<string, { version: string; weight: number }[]>();
  for (const part of text
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z][a-z0-9_-]{0,63})=(.+)$/.exec(part);
    if (!m) throw new Error(`traffic split part ${JSON.stringify(part)}: expected model=version:weight,...`);
    const entries = m[2]!.split(",").map((e) => {
      const vw = /^([A-Za-z0-9._-]{1,64}):(\d+(?:\.\d+)?)$/.exec(e.trim());
      if (!vw) throw new Error(`traffic split ${m[1]}: ${JSON.stringify(e)} is not version:weight`);
      return { version: vw[1]!, weight: Number(vw[2]) };
    });
    table.set(m[1]!, entries);
  }
  return table;
}

const SLOTS = 10_000;
const scratch = new Uint32Array(2);

/** Stable slot in [0, 10000) of a user: the same user always lands on the same version. */
export function userSlot(userId: string | number): number {
  rawId64Into(userId, scratch, 0);
  return bucket(scratch[0]!, scratch[1]!, SLOTS + 1) - 1;
}

/**
 * Version for a user given the split entries of a model, among the versions loaded now.
 * Entries whose version is not loaded drop out and the rest share the traffic; undefined when
 * none of them is loaded (the caller then serves the newest).
 */
export function chooseVersion(
  entries: readonly { version: string; weight: number }[],
  loaded: ReadonlySet<string>,
  slot: number,
): string | undefined {
  const live = entries.filter((e) => loaded.has(e.version) && e.weight > 0);
  const total = live.reduce((s, e) => s + e.weight, 0);
  if (total === 0) return undefined;
  const x = ((slot + 0.5) / SLOTS) * total;
  let acc = 0;
  for (const e of live) {
    acc += e.weight;
    if (x < acc) return e.version;
  }
  return live[live.length - 1]!.version;
}
