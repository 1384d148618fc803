import { context, propagation, type Context } from "@opentelemetry/api";

/** The header shape kafkajs uses, without depending on kafkajs. */
export type MessageHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

const getter = {
  keys: (carrier: MessageHeaders) => Object.keys(carrier),
  get(carrier: MessageHeaders, key: string): string | undefined {
    const v = carrier[key];
    const first = Array.isArray(v) ? v[0] : v;
    return first === undefined ? undefined : first.toString();
  },
};

/** W3C trace context of `ctx` as Kafka message headers (traceparent, tracestate, baggage). */
export function injectKafkaHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The trace context a producer put in a message's headers; the active context if none. */
export function extractKafkaContext(headers: MessageHeaders | undefined, base: Context = context.active()): Context {
  return headers ? propagation.extract(base, headers, getter) : base;
}
