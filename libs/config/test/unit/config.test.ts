import { describe as group, expect, it } from "vitest";
import { ConfigError, ConfigErrors, describe, int, kafka, list, load, hostPort, scorer, str } from "../../src/index.js";

function errorsOf(fn: () => unknown): ConfigError[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigErrors) return [...e.errors];
    throw e;
  }
  throw new Error("expected a ConfigErrors");
}

group("load", () => {
  it("applies documented defaults when variables are unset", () => {
    const cfg = load(kafka, {});
    expect(cfg.brokers).toEqual(["127.0.0.1:9092"]);
    expect(cfg.eventsTopic).toBe("behavior-events");
  });

  it("rejects a broker without a port, naming the variable and the expected shape", () => {
    const [err, ...rest] = errorsOf(() => load(kafka, { SEQLANE_KAFKA_BROKERS: "not-a-host" }));
    expect(rest).toHaveLength(0);
    expect(err?.variable).toBe("SEQLANE_KAFKA_BROKERS");
    expect(err?.message).toContain("host:port");
    expect(err?.retriable).toBe(false);
  });

  it("reports every bad variable at once", () => {
    const errs = errorsOf(() =>
      load(scorer, {
        SEQLANE_SCORER_PORT: "http",
        SEQLANE_EXECUTION_PROVIDERS: "cuda,tpu",
        SEQLANE_MICRO_BATCHING: "maybe",
      }),
    );
    expect(errs.map((e) => e.variable).sort()).toEqual([
      "SEQLANE_EXECUTION_PROVIDERS",
      "SEQLANE_MICRO_BATCHING",
      "SEQLANE_SCORER_PORT",
    ]);
    expect(errs.find((e) => e.variable === "SEQLANE_EXECUTION_PROVIDERS")?.message).toContain("item 2");
  });

  it("parses valid values", () => {
    const cfg = load(scorer, {
      SEQLANE_SCORER_PORT: "9000",
      SEQLANE_EXECUTION_PROVIDERS: "cpu",
      SEQLANE_MICRO_BATCHING: "off",
    });
    expect(cfg.port).toBe(9000);
    expect(cfg.executionProviders).toEqual(["cpu"]);
    expect(cfg.microBatching).toBe(false);
  });

  it("fails on a missing required option", () => {
    const [err] = errorsOf(() => load({ token: str("X_TOKEN", "a token") }, {}));
    expect(err?.message).toBe("X_TOKEN: is required");
  });

  it("enforces integer ranges", () => {
    const spec = { n: int("X_N", "n", 5, 1, 10) };
    expect(load(spec, { X_N: "10" }).n).toBe(10);
    expect(errorsOf(() => load(spec, { X_N: "11" }))[0]?.message).toContain("between 1 and 10");
    expect(errorsOf(() => load(spec, { X_N: "1.5" }))[0]?.message).toContain("integer");
  });
});

group("hostPort", () => {
  it.each(["localhost:9092", "10.0.0.1:1", "kafka-0.kafka.svc:65535", "[::1]:9092"])("accepts %s", (v) => {
    expect(hostPort(v)).toBe(v);
  });
  it.each(["not-a-host", "host:0", "host:70000", "bad_host!:9092", ":9092"])("rejects %s", (v) => {
    expect(() => hostPort(v)).toThrow();
  });
});

group("describe", () => {
  it("documents every option with its default", () => {
    const md = describe({ kafka, extra: { l: list("X_L", "a list", (s) => s, ["a", "b"]) } });
    expect(md).toContain("| `SEQLANE_KAFKA_BROKERS` | `127.0.0.1:9092` |");
    expect(md).toContain("| `X_L` | `a,b` | a list |");
  });
});

group("decimal options (the canary rule)", () => {
  it("reads decimals in range and names the variable of a bad one", async () => {
    const { rollout } = await import("../../src/index.js");
    expect(load(rollout, { SEQLANE_CANARY_AUC_MARGIN: "0.01", SEQLANE_CANARY_SHARE: "5e-1" })).toMatchObject({
      aucMargin: 0.01,
      canaryShare: 0.5,
      decideEveryMs: 0,
    });
    const errs = errorsOf(() => load(rollout, { SEQLANE_CANARY_SHARE: "1.5", SEQLANE_CANARY_CALIBRATION_MIN: "low" }));
    expect(errs.map((e) => [e.variable, e.message.includes("between") || e.message.includes("number")])).toEqual([
      ["SEQLANE_CANARY_SHARE", true],
      ["SEQLANE_CANARY_CALIBRATION_MIN", true],
    ]);
  });
});
