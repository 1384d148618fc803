import { describe, expect, it } from "vitest";
import { kafka, redis } from "@seqlane/config";
import { EXIT, loadAll, runService } from "../../src/index.js";

function harness(env: Record<string, string>) {
  const lines: string[] = [];
  let code: number | undefined;
  let resolveExit: (c: number) => void = () => {};
  const exited = new Promise<number>((r) => (resolveExit = r));
  return {
    lines,
    exited,
    get code() {
      return code;
    },
    opts: {
      env: { OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none", ...env },
      write: (l: string) => void lines.push(l),
      exit: (c: number) => {
        code = c;
        resolveExit(c);
      },
      signals: ["SIGUSR2"] as NodeJS.Signals[],
    },
  };
}

describe("loadAll", () => {
  it("names every bad variable of every section at once", () => {
    expect(() =>
      loadAll({ kafka, redis }, { SEQLANE_KAFKA_BROKERS: "not-a-host", SEQLANE_REDIS_URL: "ftp://x" }),
    ).toThrow(/2 problems[\s\S]*SEQLANE_KAFKA_BROKERS[\s\S]*SEQLANE_REDIS_URL/);
  });
});

describe("runService", () => {
  it("exits 2 with every configuration problem, without starting", async () => {
    const h = harness({ SEQLANE_KAFKA_BROKERS: "not-a-host", SEQLANE_LOG_LEVEL: "loud" });
    let started = false;
    await runService({
      name: "svc",
      config: { kafka },
      start: async () => {
        started = true;
        return { stop: async () => {} };
      },
      ...h.opts,
    });
    expect(h.code).toBe(EXIT.config);
    expect(started).toBe(false);
    expect(h.lines.join("")).toMatch(/^svc: invalid configuration \(2 problems\)/);
    expect(h.lines.join("")).toContain("SEQLANE_LOG_LEVEL");
  });

  it("logs at SEQLANE_LOG_LEVEL as JSON lines naming the service", async () => {
    const h = harness({ SEQLANE_LOG_LEVEL: "warn" });
    await runService({
      name: "svc",
      config: {},
      start: async ({ logger }) => {
        logger.info("hidden");
        logger.warn("shown", { n: 1 });
        return { stop: async () => {} };
      },
      ...h.opts,
    });
    expect(h.lines).toHaveLength(1);
    expect(JSON.parse(h.lines[0]!)).toMatchObject({ level: "warn", service: "svc", message: "shown", n: 1 });
  });

  it("turns a start-up failure into one line naming the dependency, exit 1", async () => {
    const h = harness({ SEQLANE_REDIS_URL: "redis://127.0.0.1:1" });
    await runService({
      name: "svc",
      config: { redis },
      start: async () => {
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
      },
      ...h.opts,
    });
    expect(await h.exited).toBe(EXIT.fatal);
    expect(h.lines).toHaveLength(1);
    const line = JSON.parse(h.lines[0]!) as { message: string; fatal: boolean };
    expect(line.fatal).toBe(true);
    expect(line.message).toContain("SEQLANE_REDIS_URL");
  });

  it("stops the service on a signal and exits 0", async () => {
    const h = harness({});
    let stopped = false;
    await runService({
      name: "svc",
      config: {},
      start: async () => ({
        stop: async () => {
          stopped = true;
        },
      }),
      ...h.opts,
    });
    process.emit("SIGUSR2", "SIGUSR2");
    expect(await h.exited).toBe(EXIT.ok);
    expect(stopped).toBe(true);
    expect(h.lines.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(["stopping", "stopped"]);
  });
});
