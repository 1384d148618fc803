import { parseCommand } from "../args.js";
import { logLevel } from "kafkajs";
import { kafka as kafkaSpec, load } from "@seqlane/config";
import { createGenerator } from "@seqlane/generator";
import { createKafka } from "@seqlane/service";
import { describe } from "../gen/retry.js";
import { fileSink, kafkaSink } from "../gen/sinks.js";
import type { Sink } from "../gen/sinks.js";

const USAGE = `usage: seqlane gen (--out FILE.jsonl | --kafka) [options]

  --out FILE       write JSON lines to FILE ("-": stdout); exposures keep "p_click", the true
                   click probability of the latent model
  --kafka          produce to SEQLANE_TOPIC_EVENTS (or --topic) on SEQLANE_KAFKA_BROKERS, key = user_id;
                   "p_click" is dropped unless --truth
  --topic NAME     topic for --kafka
  --retry-for S    --kafka: wait out a broker outage for up to S seconds, resending the batch
                   that failed, with a progress line while waiting; a re-sent batch may be in the
                   topic twice (ingest deduplicates by event_id); 0 = fail at once (default 300)
  --events N       number of events (default 100000)
  --rate R         events per second of wall-clock time, 0 = as fast as possible (default 0)
  --seed S         seed; the same options give the same stream (default 1)
  --users U        users (default 10000)
  --items I        catalogue items (default 50000)
  --categories C   categories (default 200)
  --start MS       event time of the first event, epoch ms (default 2025-06-01)
  --interval MS    mean event-time gap between events (default 500)
  --duplicates P   share of duplicated events (default 0.01)
  --late P         share of events delayed within the allowed lateness (default 0.01)
  --too-late P     share of events delayed 2-3 h (default 0.001)
  --truth          keep "p_click" in Kafka mode too`;

export async function run(argv: string[]): Promise<number> {
  const a = parseCommand(
    "gen",
    argv,
    {
      out: { type: "string" },
      kafka: { type: "boolean" },
      topic: { type: "string" },
      "retry-for": { type: "string" },
      events: { type: "string" },
      rate: { type: "string" },
      seed: { type: "string" },
      users: { type: "string" },
      items: { type: "string" },
      categories: { type: "string" },
      start: { type: "string" },
      interval: { type: "string" },
      duplicates: { type: "string" },
      late: { type: "string" },
      "too-late": { type: "string" },
      truth: { type: "boolean" },
    },
    USAGE,
  );
  if (typeof a === "number") return a;
  if ((a.out === undefined) === (a.kafka === undefined)) {
    console.error(`seqlane gen: give exactly one of --out or --kafka\n\n${USAGE}`);
    return 2;
  }
  const num = (name: string, v: string | undefined, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number => {
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new Error(`--${name} must be a number between ${min} and ${max}, got ${JSON.stringify(v)}`);
    return n;
  };
  const events = num("events", a.events, 100_000, 1);
  const rate = num("rate", a.rate, 0);
  const retryForMs = num("retry-for", a["retry-for"], 300, 0, 86_400) * 1000;
  let sent = 0;
  const g = createGenerator({
    seed: num("seed", a.seed, 1),
    users: num("users", a.users, 10_000, 1),
    items: num("items", a.items, 50_000, 1),
    categories: num("categories", a.categories, 200, 1),
    ...(a.start !== undefined && { startTs: num("start", a.start, 0) }),
    eventIntervalMs: num("interval", a.interval, 500, 0),
    duplicateRate: num("duplicates", a.duplicates, 0.01, 0, 1),
    lateRate: num("late", a.late, 0.01, 0, 1),
    tooLateRate: num("too-late", a["too-late"], 0.001, 0, 1),
  });
  let sink: Sink;
  if (a.out !== undefined) sink = fileSink(a.out);
  else {
    const k = load(kafkaSpec);
    const kafka = createKafka({
      clientId: `${k.clientId}-gen`,
      brokers: k.brokers,
      connectTimeoutMs: k.connectTimeoutMs,
      // Connection errors during an outage are gen's progress lines, not kafkajs's log lines.
      logLevel: logLevel.NOTHING,
    });
    sink = await kafkaSink(kafka, a.topic ?? k.eventsTopic, a.truth === true, {
      retryForMs,
      onWait: (w) =>
        console.error(
          `seqlane gen: Kafka unavailable (${describe(w.error)}); ${sent} of ${events} events sent, ` +
            `retrying in ${(w.waitMs / 1000).toFixed(1)} s (failing for ${Math.round(w.failingForMs / 1000)} s ` +
            `of --retry-for ${retryForMs / 1000} s)`,
        ),
    });
  }
  const t0 = Date.now();
  const chunk = rate > 0 ? Math.max(1, Math.min(1000, Math.round(rate / 20))) : 1000;
  while (sent < events) {
    const n = Math.min(chunk, events - sent);
    const batch = Array.from({ length: n }, () => g.next());
    await sink.write(batch);
    sent += n;
    if (rate > 0) {
      const ahead = (sent / rate) * 1000 - (Date.now() - t0);
      if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
    }
  }
  await sink.close();
  const s = (Date.now() - t0) / 1000;
  console.error(`seqlane gen: ${events} events in ${s.toFixed(1)} s (${Math.round(events / Math.max(s, 1e-3))}/s)`);
  return 0;
}
