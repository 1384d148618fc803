#!/usr/bin/env node
// Mechanical checks of the layering in STYLE.md: a library never depends on a service, the
// workspace dependency graph has no cycles, and no source file imports in a cycle.
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { join, dirname, resolve, relative } from "node:path";

const root = resolve(dirname(new URL(import.meta.url).pathname), "..");
const problems = [];
const pkgs = new Map();
for (const group of ["libs", "services"]) {
  for (const dir of readdirSync(join(root, group))) {
    const file = join(root, group, dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => d.startsWith("@seqlane/"));
    pkgs.set(pkg.name, { group, dir: join(root, group, dir), deps });
  }
}
for (const [name, p] of pkgs) {
  for (const d of p.deps) {
    if (p.group === "libs" && pkgs.get(d)?.group === "services") problems.push(`${name} (a library) depends on service ${d}`);
  }
}
function findCycle(graph) {
  const state = new Map();
  const stack = [];
  const visit = (n) => {
    state.set(n, 1);
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 1) return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const c = visit(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const n of graph.keys()) if (!state.has(n)) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}
// tsc -b builds and checks only what tsconfig `references` name, turbo orders builds by package.json
// dependencies: the two must agree, or one of them builds against missing or stale output.
for (const [name, p] of pkgs) {
  const tsconfig = join(p.dir, "tsconfig.json");
  if (!existsSync(tsconfig)) continue;
  const refs = new Set(
    (JSON.parse(readFileSync(tsconfig, "utf8")).references ?? []).map((r) => resolve(p.dir, r.path)),
  );
  const byDir = new Map([...pkgs].map(([n, q]) => [q.dir, n]));
  for (const d of p.deps) {
    const dep = pkgs.get(d);
    if (dep && existsSync(join(dep.dir, "tsconfig.json")) && !refs.has(dep.dir))
      problems.push(`${name} depends on ${d} but its tsconfig.json does not reference ${relative(p.dir, dep.dir)}`);
  }
  for (const r of refs) {
    const n = byDir.get(r);
    if (n === undefined)
      problems.push(`${name}: tsconfig.json references ${relative(root, r)}, not a workspace package`);
    else if (!p.deps.includes(n)) problems.push(`${name} references ${n} in tsconfig.json but does not depend on it`);
  }
}

const pkgCycle = findCycle(new Map([...pkgs].map(([n, p]) => [n, p.deps.filter((d) => pkgs.has(d))])));
if (pkgCycle) problems.push(`package cycle: ${pkgCycle.join(" -> ")}`);

const walk = (dir) =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
  });
for (const [name, p] of pkgs) {
  const src = join(p.dir, "src");
  if (!existsSync(src)) continue;
  const graph = new Map();
  for (const file of walk(src)) {
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+["'](\.[^"']+)["']/gm)]
      .map((m) => resolve(dirname(file), m[1].replace(/\.js$/, ".ts")))
      .filter((t) => existsSync(t));
    graph.set(file, targets);
  }
  const cycle = findCycle(graph);
  if (cycle) problems.push(`${name}: import cycle ${cycle.map((f) => relative(root, f)).join(" -> ")}`);
}
if (problems.length > 0) {
  console.error(problems.map((p) => `architecture: ${p}`).join("\n"));
  process.exit(1);
}
console.log(
  `architecture: ${pkgs.size} packages, no library->service dependency, tsconfig references = dependencies, no cycles`,
);
