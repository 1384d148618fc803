import kafkajs from "kafkajs";
import { describe, expect, it } from "vitest";
import { KafkaUnavailableError, retrySend, type RetryWait } from "../../src/gen/retry.js";

const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;

// What kafkajs throws once its own reconnects within one send gave up.
const down = () =>
  new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError("Connection error: connect ECONNREFUSED"), {
    retryCount: 10,
    retryTime: 1000,
  });

describe("gen: retrySend", () => {
  it("sends the same batch again through an outage, with capped backoff, until it succeeds", async () => {
    const waits: RetryWait[] = [];
    let calls = 0;
    const r = await retrySend(
      async () => {
        calls++;
        if (calls <= 4) throw down();
        return "sent";
      },
      { initialMs: 1, maxMs: 4, retryForMs: 10_000, onWait: (w) => void waits.push(w) },
    );
    expect(r).toBe("sent");
    expect(calls).toBe(5);
    expect(waits.map((w) => w.waitMs)).toEqual([1, 2, 4, 4]);
    expect(waits.map((w) => w.attempt)).toEqual([1, 2, 3, 4]);
    expect(waits[0]?.error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
  });

  it("gives up once one outage lasted longer than retryForMs, naming the cause", async () => {
    let calls = 0;
    const failing = retrySend(
      async () => {
        calls++;
        throw down();
      },
      { initialMs: 5, maxMs: 5, retryForMs: 30 },
    );
    await expect(failing).rejects.toBeInstanceOf(KafkaUnavailableError);
    await expect(failing).rejects.toThrow(/Kafka unavailable .*connect ECONNREFUSED/);
    expect(calls).toBeGreaterThan(1);
  });

  it("fails at the first failure with retryForMs 0, and never retries what cannot heal", async () => {
    await expect(retrySend(() => Promise.reject(down()), { retryForMs: 0 })).rejects.toBeInstanceOf(
      KafkaUnavailableError,
    );
    const tooLarge = new KafkaJSProtocolError({
      message: "message too large",
      type: "MESSAGE_TOO_LARGE",
      code: 10,
      retriable: false,
    } as unknown as Error);
    let calls = 0;
    const once = (e: unknown) => () => {
      calls++;
      return Promise.reject(e);
    };
    await expect(retrySend(once(tooLarge), { initialMs: 1 })).rejects.toBe(tooLarge);
    const bug = new TypeError("x is not a function");
    await expect(retrySend(once(bug), { initialMs: 1 })).rejects.toBe(bug);
    expect(calls).toBe(2);
  });
});
