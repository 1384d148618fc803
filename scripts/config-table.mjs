#!/usr/bin/env node
// The configuration table (every option, its default and meaning) from libs/config, so the
// README's table is generated from the code. `node scripts/config-table.mjs` prints it;
// `--write` replaces the README's table between the config-table markers; `--check` exits 1
// when the README's table is not what the code says (libs/config's tests run it).
import { readFileSync, writeFileSync } from "node:fs";
import { format } from "prettier";
import {
  describe,
  clickhouse,
  ingest,
  kafka,
  recorder,
  redis,
  scorer,
  telemetry,
  train,
  rollout,
} from "../libs/config/dist/index.js";

const sections = { kafka, redis, clickhouse, telemetry, ingest, scorer, recorder, train, rollout };
let table = "";
for (const [name, spec] of Object.entries(sections)) table += `\n**${name}**\n\n${describe({ [name]: spec })}\n`;

const mode = process.argv[2];
if (mode !== "--write" && mode !== "--check") {
  console.log(table);
  process.exit(0);
}
const readme = new URL("../README.md", import.meta.url);
const text = readFileSync(readme, "utf8");
const start = "<!-- config-table:start -->";
const end = "<!-- config-table:end -->";
const a = text.indexOf(start);
const b = text.indexOf(end);
if (a < 0 || b < a) throw new Error(`README.md has no ${start} ... ${end} markers`);
const next = await format(text.slice(0, a + start.length) + "\n" + table + "\n" + text.slice(b), {
  parser: "markdown",
  printWidth: 120,
});
if (mode === "--write") writeFileSync(readme, next);
else if (next !== text) {
  console.error("README.md's configuration table is stale: run node scripts/config-table.mjs --write");
  process.exit(1);
}
