/**
 * The one place where Seqlane's kafkajs clients get their connection, retry and consumer-group
 * settings. Every service builds its client with `createKafka`, so that all of them ride through
 * a broker restart alike. Measured with test/integration/kafka-recovery.test.ts (private broker,
 * SIGKILL, restarted 3 s later): with kafkajs's defaults a consumer fetched again about 30 s
 * after the broker answered (the hardening issue saw 45 s). It gave up reconnecting after about
 * 9 s (5 retries), crashed, waited its last backoff (up to `maxRetryTime`, 30 s) to restart, and
 * joined as a new member, so the coordinator held the rebalance until the old member's session
 * (30 s) expired. With the settings below: 0.3 to 1.3 s.
 */
import kafkajs, { Kafka, logLevel } from "kafkajs";
import type { ConsumerConfig, Consumer, KafkaConfig, RetryOptions, logCreator } from "kafkajs";
import { defaults, kafka as kafkaSpec } from "@seqlane/config";

// kafkajs spreads its error classes into module.exports, which Node cannot name as ESM exports.
const { KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } = kafkajs;

/** Where the client connects and how it logs. */
export interface KafkaClientOptions {
  readonly clientId: string;
  readonly brokers: readonly string[];
  /** TCP connect timeout (ms). Default: SEQLANE_KAFKA_CONNECT_TIMEOUT_MS's. */
  readonly connectTimeoutMs?: number;
  /** Default `logLevel.WARN`. */
  readonly logLevel?: logLevel;
  /** Default kafkajs's console logger. */
  readonly logCreator?: logCreator;
}

/**
 * Producers and admin clients: reconnect every second at most (kafkajs: backoff up to 30 s), and
 * give up after about 7.5 s, so that a caller's own retry (gen's `--retry-for`, ingest's batch
 * retry) decides how long to wait and says so; start-up against a down broker fails as fast as
 * before (kafkajs's defaults gave up after about 9 s).
 */
export const KAFKA_RETRY: Readonly<Required<Omit<RetryOptions, "restartOnFailure">>> = {
  initialRetryTime: 100,
  maxRetryTime: 1000,
  factor: 0.2,
  multiplier: 2,
  retries: 10,
};

/**
 * Consumers: the same backoff, kept up for about a minute. A consumer that keeps retrying keeps
 * its group membership, and the restarted coordinator knows that member, so it fetches again
 * within a second of the broker answering. One that gave up would rejoin as a new member and
 * wait for the old member's session to expire.
 */
export const CONSUMER_RETRY: Readonly<Required<Omit<RetryOptions, "restartOnFailure">>> = {
  ...KAFKA_RETRY,
  retries: 60,
};

/**
 * Group timing. After an outage longer than CONSUMER_RETRY, or after a consumer process was
 * killed, the new member waits for the old one's session to expire (kafkajs's default 30 s):
 * 10 s bounds that wait (measured: 11 s after a 70 s outage) and is above the broker's minimum
 * (group.min.session.timeout.ms, 6 s).
 * kafkajs heartbeats between fetches and after each batch (ingest and the recorder call
 * `heartbeat()`), so a batch may block up to the session timeout before the member is evicted.
 */
export const CONSUMER_GROUP = { sessionTimeout: 10_000, heartbeatInterval: 3_000 } as const;

const D = defaults(kafkaSpec);

/** The client config, for producers and admin clients. */
export function kafkaConfig(o: KafkaClientOptions, retry: RetryOptions = KAFKA_RETRY): KafkaConfig {
  return {
    clientId: o.clientId,
    brokers: [...o.brokers],
    connectionTimeout: o.connectTimeoutMs ?? D.connectTimeoutMs,
    retry: { ...retry },
    logLevel: o.logLevel ?? logLevel.WARN,
    ...(o.logCreator !== undefined && { logCreator: o.logCreator }),
  };
}

/** A consumer's config: the caller's (group, fetch sizes), over the group timing and retry above. */
export function consumerConfig(config: ConsumerConfig): ConsumerConfig {
  return { ...CONSUMER_GROUP, ...config, retry: { ...CONSUMER_RETRY, ...config.retry } };
}

/**
 * A kafkajs client whose producers and admin clients use KAFKA_RETRY and whose consumers use
 * CONSUMER_RETRY and CONSUMER_GROUP. In kafkajs every producer, consumer and admin client has its
 * own connections, so the second client behind `consumer()` costs nothing until it is used.
 */
export function createKafka(o: KafkaClientOptions): Kafka {
  return new SeqlaneKafka(o);
}

class SeqlaneKafka extends Kafka {
  private readonly consumers: Kafka;

  constructor(o: KafkaClientOptions) {
    super(kafkaConfig(o));
    // A consumer's connections retry with the consumer's window, not the producers'.
    this.consumers = new Kafka(kafkaConfig(o, CONSUMER_RETRY));
  }

  override consumer(config: ConsumerConfig): Consumer {
    return this.consumers.consumer(consumerConfig(config));
  }
}

/**
 * Whether a kafkajs error may heal by trying again later (broker down, leader moving), decided
 * by the error's type, never its message. kafkajs marks "gave up after N retries" and errors its
 * retrier wrapped as not retriable; the error underneath decides. Programmer errors (TypeError
 * and the like) and errors that are not kafkajs's are never retriable.
 */
export function isRetriableKafkaError(e: unknown): boolean {
  let cur: unknown = e;
  for (let depth = 0; depth < 10; depth++) {
    if (!(cur instanceof KafkaJSError)) return false;
    const wrapper = cur instanceof KafkaJSNumberOfRetriesExceeded || cur.constructor === KafkaJSNonRetriableError;
    if (!wrapper || cur.cause === undefined || cur.cause === cur) return cur.retriable;
    cur = cur.cause;
  }
  return false;
}
