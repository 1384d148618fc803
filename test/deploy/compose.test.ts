import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { clickhouse, load, redis, scorer } from "@seqlane/config";

// Docker cannot run here; check what would break `docker compose up` for a user offline.
const root = join(import.meta.dirname, "..", "..");
const composeDir = join(root, "deploy", "compose");
const compose = parse(readFileSync(join(composeDir, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: unknown;
      command?: string[];
      depends_on?: Record<string, unknown>;
      ports?: (string | { host_ip?: string; published?: string | number })[];
      environment?: Record<string, string | number>;
      volumes?: string[];
    }
  >;
};

/** `${NAME:?message}`: compose refuses to start while NAME is unset or empty (no default). */
const REQUIRED = /\$\{([A-Z0-9_]+):\?[^}]+\}/g;
const requiredVars = (value: unknown): string[] => [...String(value).matchAll(REQUIRED)].map((m) => m[1]!);
/** A value as compose would pass it when every required variable is set to `sample-<NAME>`. */
const interpolate = (value: unknown): string => String(value).replace(REQUIRED, (_, name: string) => `sample-${name}`);
const env = (service: string): Record<string, string | number> => compose.services[service]?.environment ?? {};

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

  it("publishes every port on the host's loopback only", () => {
    const published = services.flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p] as const));
    expect(published.length).toBeGreaterThanOrEqual(4);
    for (const [name, p] of published) {
      if (typeof p === "string") expect(p, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      else expect(p.host_ip, name).toBe("127.0.0.1");
    }
  });

  it("gives ClickHouse's users, Redis and the scorer secrets with no default, and the services use them", () => {
    // The services read the names libs/config defines.
    const chPassword = clickhouse.password.variable;
    const redisUrl = redis.url.variable;
    const token = scorer.authToken.variable;
    const app = env("ingest");
    expect(requiredVars(app[chPassword])).toEqual(["SEQLANE_CLICKHOUSE_PASSWORD"]);
    expect(requiredVars(env("clickhouse")["CLICKHOUSE_PASSWORD"])).toEqual(["SEQLANE_CLICKHOUSE_PASSWORD"]);
    expect(requiredVars(env("clickhouse")["SEQLANE_ANALYST_PASSWORD"])).toEqual(["SEQLANE_ANALYST_PASSWORD"]);
    expect(requiredVars(env("scorer")[token])).toEqual(["SEQLANE_SCORER_TOKEN"]);

    // Redis requires the same password that every service's URL carries.
    const command = compose.services.redis?.command ?? [];
    const requirepass = command[command.indexOf("--requirepass") + 1];
    expect(command).toContain("--requirepass");
    expect(requiredVars(requirepass)).toEqual(["SEQLANE_REDIS_PASSWORD"]);
    expect(requiredVars(env("redis")["REDISCLI_AUTH"])).toEqual(["SEQLANE_REDIS_PASSWORD"]);
    for (const name of ["ingest", "scorer", "recorder", "demo", "migrations"]) {
      expect(String(env(name)[redisUrl]), name).toMatch(/^redis:\/\/:\$\{SEQLANE_REDIS_PASSWORD:\?[^}]+\}@redis:6379$/);
      expect(env(name)[chPassword], name).toBe(app[chPassword]);
    }

    // Interpolated, the values pass libs/config's own validation and carry the secrets.
    const values = Object.fromEntries(Object.entries(env("scorer")).map(([k, v]) => [k, interpolate(v)]));
    expect(new URL(load(redis, values).url).password).toBe("sample-SEQLANE_REDIS_PASSWORD");
    expect(load(clickhouse, values).password).toBe("sample-SEQLANE_CLICKHOUSE_PASSWORD");
    expect(load(scorer, values).authToken).toBe("sample-SEQLANE_SCORER_TOKEN");
  });

  it("has no empty or defaulted secret anywhere", () => {
    const secret = /PASSWORD|TOKEN|SECRET|_AUTH|_KEY$/;
    let checked = 0;
    for (const [name, s] of services) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (!secret.test(key)) continue;
        checked++;
        expect(requiredVars(value).length, `${name}.${key}`).toBeGreaterThan(0);
        expect(String(value), `${name}.${key}`).not.toMatch(/\$\{[A-Z0-9_]+:?-/); // ${VAR:-default}
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
    const text = readFileSync(join(composeDir, "docker-compose.yml"), "utf8");
    expect(text).not.toMatch(/\$\{[A-Z0-9_]*(PASSWORD|TOKEN)[A-Z0-9_]*:?-/);
  });

  it("lists every required variable in .env.example and keeps .env out of git", () => {
    const text = readFileSync(join(composeDir, "docker-compose.yml"), "utf8");
    const needed = [...new Set(requiredVars(text))].sort();
    expect(needed).toEqual([
      "SEQLANE_ANALYST_PASSWORD",
      "SEQLANE_CLICKHOUSE_PASSWORD",
      "SEQLANE_REDIS_PASSWORD",
      "SEQLANE_SCORER_TOKEN",
    ]);
    const example = readFileSync(join(composeDir, ".env.example"), "utf8");
    for (const v of needed) expect(example, v).toMatch(new RegExp(`^${v}=$`, "m"));
    expect(readFileSync(join(composeDir, ".gitignore"), "utf8")).toMatch(/^\.env$/m);
  });

  it("mounts ClickHouse overrides that exist and give every user a password", () => {
    for (const v of compose.services.clickhouse?.volumes ?? []) {
      const [src] = v.split(":");
      if (src?.startsWith("./")) expect(existsSync(join(composeDir, src)), v).toBe(true);
    }
    const users = readFileSync(join(composeDir, "clickhouse-users.xml"), "utf8").replace(/<!--[\s\S]*?-->/g, "");
    // default is the image entrypoint's (CLICKHOUSE_PASSWORD); this file must not reset it.
    expect(users).not.toMatch(/<default>/);
    expect(users).not.toMatch(/<password\s*\/>|<password>\s*<\/password>|<no_password/);
    expect(users).toMatch(/<seqlane_analyst>\s*<password from_env="SEQLANE_ANALYST_PASSWORD"\s*\/>/);
    expect(users).toMatch(/<grants>\s*<query>GRANT SELECT ON seqlane\.\*<\/query>\s*<\/grants>/);
    for (const limit of [
      "<readonly>1</readonly>",
      "<max_execution_time>60</max_execution_time>",
      "<max_result_rows>1000000</max_result_rows>",
      "<result_overflow_mode>throw</result_overflow_mode>",
      "<max_memory_usage>1000000000</max_memory_usage>",
      "<quota>seqlane_analyst</quota>",
    ])
      expect(users).toContain(limit);
    const config = readFileSync(join(composeDir, "clickhouse-config.xml"), "utf8");
    expect(config).toMatch(/<select_from_system_db_requires_grant>true<\/select_from_system_db_requires_grant>/);
  });
});
