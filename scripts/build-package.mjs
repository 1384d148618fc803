#!/usr/bin/env node
// The `build` script of every TypeScript workspace package: `tsc -b` in the package directory,
// made safe for turbo's cache. tsc -b (TypeScript >= 5.6) decides "up to date" from the
// .tsbuildinfo alone and never looks at the outputs, so a dist/ that lost its files but kept
// dist/.tsbuildinfo (`rm -rf dist/*` spares dotfiles; so does an interrupted restore) built
// "successfully" with nothing in it, and turbo cached that empty dist/ and replayed it as a
// success, in fresh clones too. So: drop a .tsbuildinfo whose outputs are missing, build, and
// fail when the files package.json points at are still missing. Extra arguments go to tsc.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const tsconfig = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8"));
const buildInfo = resolve(dir, tsconfig.compilerOptions?.tsBuildInfoFile ?? "dist/tsconfig.tsbuildinfo");

/** Files the package promises to others (main, types, bin, exports), relative paths. */
function entryFiles() {
  const out = new Set();
  const add = (v) => {
    if (typeof v === "string" && !v.includes("*")) out.add(v.replace(/^\.\//, ""));
    else if (v && typeof v === "object") Object.values(v).forEach(add);
  };
  add(pkg.main);
  add(pkg.types);
  add(pkg.bin);
  add(pkg.exports);
  return [...out].filter((f) => f.startsWith("dist/"));
}

const missing = () => entryFiles().filter((f) => !existsSync(join(dir, f)));

if (existsSync(buildInfo) && missing().length > 0) {
  console.log(`build-package: ${pkg.name}: outputs missing (${missing().join(", ")}); rebuilding from scratch`);
  rmSync(buildInfo);
}
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const r = spawnSync(process.execPath, [tsc, "-b", ...process.argv.slice(2)], { stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);
const still = missing();
if (still.length > 0) {
  console.error(`build-package: ${pkg.name}: tsc -b succeeded but ${still.join(", ")} do not exist`);
  process.exit(1);
}
