#!/usr/bin/env node
// Writes vectors/event/events.json: single-fault event vectors with the verdict the event
// contract gives (kind and field), checked by TypeScript (test/unit/vectors.test.ts) and Python
// (training/tests/test_contract_vectors.py). Run after a change to the event schema, then review
// the diff: the verdicts are the contract's behaviour.
import { writeFileSync } from "node:fs";
import { checkEvent } from "../dist/index.js";

const REF = Date.UTC(2026, 0, 10);
const base = {
  schema: 1,
  event_id: "e1",
  user_id: "u1",
  item_id: "i1",
  category_id: "c1",
  type: "click",
  ts: REF - 60_000,
};
const drop = (k) => Object.fromEntries(Object.entries(base).filter(([x]) => x !== k));
const cases = [
  ["minimal valid event", base],
  [
    "every optional field",
    { ...base, brand_id: "b", shop_id: 5, price: 1.5, source: "device", request_id: "r", position: 0 },
  ],
  [
    "optional fields null",
    { ...base, brand_id: null, shop_id: null, price: null, source: null, request_id: null, position: null },
  ],
  ["integer ids", { ...base, event_id: 0, user_id: 9007199254740991, item_id: 3, category_id: 4, request_id: 7 }],
  ["unknown field ignored", { ...base, extra: { a: [1] } }],
  ["surrogate pair in an id", { ...base, item_id: "i-\u{1F600}" }],
  ["128-byte id", { ...base, item_id: "é".repeat(64) }],
  ["129-byte id", { ...base, item_id: "é".repeat(64) + "x" }],
  ["within future skew", { ...base, ts: REF + 299_000 }],
  ["beyond future skew", { ...base, ts: REF + 301_000 }],
  ["not an object", [1, 2]],
  ["a string", "event"],
  ["null", null],
  ...["schema", "event_id", "user_id", "item_id", "category_id", "type", "ts"].map((k) => [`missing ${k}`, drop(k)]),
  ["schema 2", { ...base, schema: 2 }],
  ["schema as a string", { ...base, schema: "1" }],
  ["user_id null", { ...base, user_id: null }],
  ["id as an object", { ...base, item_id: { id: 1 } }],
  ["id as a boolean", { ...base, item_id: true }],
  ["negative integer id", { ...base, item_id: -1 }],
  ["fractional id", { ...base, item_id: 1.5 }],
  ["unsafe integer id", { ...base, item_id: 2 ** 60 }],
  ["empty id", { ...base, event_id: "" }],
  ["control character in an id", { ...base, user_id: "a\u0007b" }],
  ["DEL in an id", { ...base, user_id: "a\u007fb" }],
  ["lone high surrogate", { ...base, user_id: "ls\ud800" }],
  ["lone low surrogate", { ...base, user_id: "\udfffx" }],
  ["unknown type", { ...base, type: "like" }],
  ["type as a number", { ...base, type: 1 }],
  ["bad source", { ...base, source: "tv" }],
  ["ts as a string", { ...base, ts: "1" }],
  ["fractional ts", { ...base, ts: REF - 0.5 }],
  ["ts before 2000", { ...base, ts: 946684799999 }],
  ["ts at 2000-01-01", { ...base, ts: 946684800000 }],
  ["negative price", { ...base, price: -0.01 }],
  ["price as a string", { ...base, price: "1" }],
  ["fractional position", { ...base, position: 0.5 }],
  ["negative position", { ...base, position: -1 }],
  ["position past UInt32", { ...base, position: 4294967296 }],
  ["request_id as an array", { ...base, request_id: ["r"] }],
];
const vectors = cases.map(([description, event]) => {
  const r = checkEvent(event, REF);
  return {
    description,
    event,
    expected: r.ok ? { ok: true } : { ok: false, kind: r.rejection.kind, field: r.rejection.field },
  };
});
writeFileSync(
  new URL("../vectors/event/events.json", import.meta.url),
  JSON.stringify({ reference_ts: REF, vectors }, null, 2) + "\n",
);
console.log(`${vectors.length} event vectors written`);
