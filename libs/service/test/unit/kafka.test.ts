import kafkajs, { logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import {
  CONSUMER_GROUP,
  CONSUMER_RETRY,
  KAFKA_RETRY,
  consumerConfig,
  createKafka,
  isRetriableKafkaError,
  kafkaConfig,
} from "../../src/index.js";

const { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } =
  kafkajs;

describe("Kafka client settings", () => {
  it("gives producers and admin clients the capped retry and the configured connect timeout", () => {
    const c = kafkaConfig({ clientId: "t", brokers: ["a:9092"] });
    expect(c).toMatchObject({ clientId: "t", brokers: ["a:9092"], connectionTimeout: 5000, retry: KAFKA_RETRY });
    expect(kafkaConfig({ clientId: "t", brokers: ["a:9092"], connectTimeoutMs: 700 }).connectionTimeout).toBe(700);
    expect(KAFKA_RETRY.maxRetryTime).toBeLessThanOrEqual(1000);
  });

  it("puts the group timing and the long retry under a consumer's own settings", () => {
    expect(consumerConfig({ groupId: "g", maxBytesPerPartition: 1 })).toEqual({
      ...CONSUMER_GROUP,
      groupId: "g",
      maxBytesPerPartition: 1,
      retry: CONSUMER_RETRY,
    });
    const own = consumerConfig({ groupId: "g", sessionTimeout: 20_000, retry: { retries: 3 } });
    expect(own.sessionTimeout).toBe(20_000);
    expect(own.retry).toEqual({ ...CONSUMER_RETRY, retries: 3 });
    expect(CONSUMER_GROUP.heartbeatInterval * 3).toBeLessThanOrEqual(CONSUMER_GROUP.sessionTimeout);
  });

  it("builds clients without connecting", async () => {
    const kafka = createKafka({ clientId: "t", brokers: ["127.0.0.1:1"], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: "g" });
    const producer = kafka.producer();
    await consumer.disconnect();
    await producer.disconnect();
  });
});

// What kafkajs's retrier throws when it wraps an error it will not retry: the cause underneath.
const wrapped = (e: Error, cause: Error) => Object.assign(new KafkaJSNonRetriableError(e), { cause });

describe("isRetriableKafkaError", () => {
  const refused = new KafkaJSConnectionError("Connection error: connect ECONNREFUSED 127.0.0.1:9092");
  const tooLarge = new KafkaJSProtocolError({
    message: "The request included a message larger than the max message size the server will accept",
    type: "MESSAGE_TOO_LARGE",
    code: 10,
    retriable: false,
  } as unknown as Error);

  it("retries a broker that is down, also after kafkajs gave up on it", () => {
    expect(isRetriableKafkaError(refused)).toBe(true);
    const exhausted = new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 10, retryTime: 1000 });
    expect(isRetriableKafkaError(exhausted)).toBe(true);
    expect(isRetriableKafkaError(wrapped(exhausted, refused))).toBe(true);
  });

  it("never retries what another try cannot fix, nor errors that are not kafkajs's", () => {
    expect(isRetriableKafkaError(tooLarge)).toBe(false);
    expect(isRetriableKafkaError(wrapped(tooLarge, tooLarge))).toBe(false);
    const bug = new TypeError("x is not a function");
    expect(isRetriableKafkaError(wrapped(bug, bug))).toBe(false);
    expect(isRetriableKafkaError(bug)).toBe(false);
    expect(isRetriableKafkaError(Object.assign(new Error("flagged"), { retriable: true }))).toBe(false);
    expect(isRetriableKafkaError("down")).toBe(false);
  });
});
