import { ROOT_CONTEXT, trace, type SpanContext } from "@opentelemetry/api";
import { extractKafkaContext, type MessageHeaders } from "@seqlane/telemetry";

/**
 * The producer's span context carried by a message's W3C headers (traceparent), or undefined.
 * Never throws. The insert span links to these: one insert serves many producers' traces.
 */
export function producerContext(headers: MessageHeaders | undefined): SpanContext | undefined {
  if (headers === undefined || headers.traceparent === undefined) return undefined;
  try {
    return trace.getSpanContext(extractKafkaContext(headers, ROOT_CONTEXT));
  } catch {
    return undefined;
  }
}
