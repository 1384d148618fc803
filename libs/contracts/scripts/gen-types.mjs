#!/usr/bin/env node
// Writes src/generated/*.ts from schemas/*.schema.json with json-schema-to-typescript, so the
// TypeScript types of every contract derive from its schema file. `--check` fails (exit 1) when
// a committed file differs from what the schema gives; the contracts test runs it.
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");
const outDir = join(root, "src", "generated");
mkdirSync(outDir, { recursive: true });
const stale = [];
for (const file of readdirSync(join(root, "schemas"))
  .filter((f) => f.endsWith(".schema.json"))
  .sort()) {
  const schema = JSON.parse(readFileSync(join(root, "schemas", file), "utf8"));
  let ts = await compile(schema, schema.title, {
    bannerComment: `/* Generated from schemas/${file} by scripts/gen-types.mjs (npm run gen -w @seqlane/contracts). Do not edit. */`,
    additionalProperties: false,
    declareExternallyReferenced: true,
    format: true,
    style: { printWidth: 120 },
    strictIndexSignatures: true,
    unreachableDefinitions: false,
  });
  // Contract values are read, never mutated: every generated property is readonly.
  ts = ts.replace(/^(\s+)(?!readonly )([A-Za-z_][A-Za-z0-9_]*\??: )/gm, "$1readonly $2");
  const out = join(outDir, file.replace(".schema.json", ".ts"));
  if (check) {
    if (!existsSync(out) || readFileSync(out, "utf8") !== ts) stale.push(out);
  } else writeFileSync(out, ts);
}
if (stale.length > 0) {
  console.error(
    `contracts: generated types are stale, run npm run gen -w @seqlane/contracts:\n  ${stale.join("\n  ")}`,
  );
  process.exit(1);
}
