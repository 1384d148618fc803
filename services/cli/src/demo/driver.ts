import { context, trace } from "@opentelemetry/api";
import type { Generator, GeneratedEvent } from "@seqlane/generator";
import { serializeEvent } from "@seqlane/events";
import { injectKafkaHeaders } from "@seqlane/telemetry";
import type { Producer } from "kafkajs";
import { LatencyWindow } from "./latency.js";

export interface DriverOptions {
  readonly gen: Generator;
  readonly producer: Producer;
  readonly topic: string;
  readonly scorerUrl: string;
  readonly models: readonly string[];
  readonly rate: number;
  readonly requestRate: number;
  readonly candidates: number;
  /** Prefix of this run's request ids (unique per run). */
  readonly runId: string;
}

export interface DriverStats {
  eventsProduced: number;
  /** Distinct event ids produced (the end-to-end test checks each is recorded once). */
  readonly eventIds: Set<string>;
  requests: number;
  requestErrors: number;
  readonly perModel: Map<string, number>;
  readonly latency: LatencyWindow;
}

interface ScoreResponse {
  readonly request_id: string;
  readonly model: string;
  readonly version: string;
  readonly scores: readonly { item_id: string; ctr: number }[];
}

const tracer = trace.getTracer("seqlane-demo");
const TICK_MS = 100;

/**
 * Drives the pipeline like an application would: an organic behaviour stream at `rate`
 * events/s, and scoring requests at `requestRate`/s whose ranked candidates are shown to the
 * user; the user's reaction (exposures, clicks, carts, purchases) comes from the generator's
 * latent model, so outcomes depend on what the model ranked.
 */
export class Driver {
  readonly stats: DriverStats = {
    eventsProduced: 0,
    eventIds: new Set(),
    requests: 0,
    requestErrors: 0,
    perModel: new Map(),
    latency: new LatencyWindow(),
  };
  private timer: NodeJS.Timeout | undefined;
  private inflight = new Set<Promise<void>>();
  private eventDebt = 0;
  private requestDebt = 0;
  private requestSeq = 0;
  private pending: GeneratedEvent[] = [];

  constructor(private readonly o: DriverOptions) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([...this.inflight]);
    await this.flushEvents();
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private tick(): void {
    this.eventDebt += (this.o.rate * TICK_MS) / 1000;
    for (; this.eventDebt >= 1; this.eventDebt--) this.pending.push(this.o.gen.next());
    this.requestDebt += (this.o.requestRate * TICK_MS) / 1000;
    // Bound concurrency: a slow scorer slows the demo instead of piling up requests.
    for (; this.requestDebt >= 1 && this.inflight.size < 64; this.requestDebt--) this.track(this.scoreOnce());
    this.track(this.flushEvents());
  }

  private async flushEvents(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    await this.o.producer.send({
      topic: this.o.topic,
      messages: batch.map((e) => ({ key: e.user_id, value: serializeEvent(e) })),
    });
    this.stats.eventsProduced += batch.length;
    for (const e of batch) this.stats.eventIds.add(e.event_id);
  }

  private async scoreOnce(): Promise<void> {
    const { gen, models } = this.o;
    const seq = this.requestSeq++;
    const model = models[seq % models.length]!;
    const userId = gen.userIds(Math.floor(Math.random() * gen.userCount));
    const cands = gen.popularItems(this.o.candidates);
    const requestId = `${this.o.runId}-q${seq}`;
    await tracer.startActiveSpan("demo.request", async (span) => {
      const t0 = performance.now();
      try {
        const res = await fetch(`${this.o.scorerUrl}/v1/score`, {
          method: "POST",
          headers: { "content-type": "application/json", ...injectKafkaHeaders(context.active()) },
          body: JSON.stringify({
            request_id: requestId,
            user_id: userId,
            model,
            candidates: cands.map((c) => ({ item_id: c.item_id, category_id: c.category_id, brand_id: c.brand_id })),
          }),
        });
        if (!res.ok) throw new Error(`scorer answered ${res.status}: ${await res.text()}`);
        const body = (await res.json()) as ScoreResponse;
        this.stats.latency.add(performance.now() - t0);
        this.stats.requests++;
        this.stats.perModel.set(model, (this.stats.perModel.get(model) ?? 0) + 1);
        // The page shows every candidate in the model's order; the user reacts to that page.
        const ranked = [...body.scores].sort((a, b) => b.ctr - a.ctr);
        const events = gen.respond(
          userId,
          ranked.map((s, position) => ({ item_id: s.item_id, position })),
          { request_id: body.request_id, ts: Date.now() },
        );
        this.pending.push(...events);
      } catch (e) {
        this.stats.requestErrors++;
        span.recordException(e as Error);
      } finally {
        span.end();
      }
    });
  }
}
