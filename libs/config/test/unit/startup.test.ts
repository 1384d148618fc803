import { describe, expect, it } from "vitest";
import { explainStartupError } from "../../src/index.js";

const named = (name: string, message: string, cause?: unknown): Error => {
  const e = new Error(message, { cause });
  e.name = name;
  return e;
};

describe("explainStartupError", () => {
  it("names Kafka and its variable for a kafkajs connection failure, with the root reason", () => {
    const root = named("KafkaJSConnectionError", "Connection error: getaddrinfo ENOTFOUND nohost.invalid");
    const e = named("KafkaJSNonRetriableError", "retries exhausted", root);
    expect(explainStartupError(e, { kafkaBrokers: ["nohost.invalid:9092"] })).toBe(
      "cannot reach Kafka at nohost.invalid:9092 (SEQLANE_KAFKA_BROKERS): Connection error: getaddrinfo ENOTFOUND nohost.invalid",
    );
  });

  it("names the socket-level dependencies for a refused connection", () => {
    const e = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6390"), { code: "ECONNREFUSED" });
    expect(explainStartupError(e, { redisUrl: "redis://127.0.0.1:6390" })).toBe(
      "cannot reach Redis at redis://127.0.0.1:6390 (SEQLANE_REDIS_URL): connect ECONNREFUSED 127.0.0.1:6390",
    );
  });

  it("leaves other errors alone", () => {
    expect(explainStartupError(new TypeError("x is undefined"), { kafkaBrokers: ["a:1"] })).toBeUndefined();
  });
});
