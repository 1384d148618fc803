#!/usr/bin/env node
// Prints the configuration table (every option, its default and meaning) from libs/config, so
// the README's table is generated from the code: `node scripts/config-table.mjs`.
import { describe, clickhouse, ingest, kafka, recorder, redis, scorer, telemetry } from "../libs/config/dist/index.js";

const sections = { kafka, redis, clickhouse, telemetry, ingest, scorer, recorder };
for (const [name, spec] of Object.entries(sections)) {
  console.log(`\n**${name}**\n`);
  console.log(describe({ [name]: spec }));
}
