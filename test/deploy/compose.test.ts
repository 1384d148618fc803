import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

// Docker cannot run here; check what would break `docker compose up` for a user offline.
const root = join(import.meta.dirname, "..", "..");
const compose = parse(readFileSync(join(root, "deploy", "compose", "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<
    string,
    { image?: string; build?: unknown; command?: string[]; depends_on?: Record<string, unknown> }
  >;
};

describe("deploy/compose", () => {
  const services = Object.entries(compose.services);

  it("runs the three Seqlane services, the stores and the demo", () => {
    for (const name of [
      "kafka",
      "redis",
      "clickhouse",
      "ingest",
      "scorer",
      "recorder",
      "demo",
      "migrations",
      "topics-init",
    ])
      expect(Object.keys(compose.services)).toContain(name);
  });

  it("starts every node entry point from a source file that exists", () => {
    for (const [name, s] of services) {
      if (s.command?.[0] !== "node") continue;
      const script = s.command[1]!;
      const source = script.replace("/dist/", "/src/").replace(/\.(m?)js$/, (m, esm) => (esm ? m : ".ts"));
      expect(existsSync(join(root, source)) || existsSync(join(root, script)), `${name}: ${script}`).toBe(true);
    }
  });

  it("depends only on services it defines, and every service has an image or a build", () => {
    for (const [name, s] of services) {
      expect(s.image !== undefined || s.build !== undefined, name).toBe(true);
      for (const dep of Object.keys(s.depends_on ?? {}))
        expect(Object.keys(compose.services), `${name} -> ${dep}`).toContain(dep);
    }
  });

  it("builds from a Dockerfile that exists", () => {
    expect(existsSync(join(root, "deploy", "compose", "Dockerfile"))).toBe(true);
  });
});
