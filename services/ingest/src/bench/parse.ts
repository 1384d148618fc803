/**
 * Parse + validate per event: the one-source contract validator (libs/contracts through
 * libs/events' parseEvent) against the hand-written validator it replaced (legacy-validate.ts),
 * in the same process on the same generated messages, rounds alternated; medians printed.
 * No stack needed: `node services/ingest/dist/bench/parse.js [events=200000] [rounds=7]`.
 */
import { parseEvent } from "@seqlane/events";
import { createGenerator } from "@seqlane/generator";
import { legacyParseEvent } from "./legacy-validate.js";

const N = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 7);
const gen = createGenerator({ seed: 7, users: 5000, startTs: Date.now() - 86_400_000 });
const messages = Array.from({ length: N }, () => Buffer.from(JSON.stringify(gen.next())));
const now = Date.now();

function time(f: (m: Buffer) => unknown): number {
  const t0 = performance.now();
  for (const m of messages) f(m);
  return ((performance.now() - t0) * 1000) / N; // us per event
}

const contract = (m: Buffer) => parseEvent(m, {}, now);
const legacy = (m: Buffer) => legacyParseEvent(m, { now: () => now });
for (const m of messages.slice(0, 1000)) {
  const a = contract(m);
  const b = legacy(m);
  if (a.ok !== b.ok) throw new Error(`validators disagree on a generated event: ${m.toString()}`);
}
time(contract); // warm-up
time(legacy);
const a: number[] = [];
const b: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  a.push(time(contract));
  b.push(time(legacy));
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const [ma, mb] = [median(a), median(b)];
console.log(`parse + validate, ${N.toLocaleString("en-US")} generated events, median of ${ROUNDS} alternated rounds:`);
console.log(`  one-source contract (Ajv, libs/contracts): ${ma.toFixed(2)} us/event`);
console.log(`  hand-written validator it replaced:        ${mb.toFixed(2)} us/event`);
console.log(`  ratio contract/hand-written: ${(ma / mb).toFixed(2)}x (below 1 is faster)`);
