import { dlqMessage, kafkaTime, parseEvent } from "@seqlane/events";
import type { DlqMessage, RejectKind, ValidateOptions } from "@seqlane/events";
import { OUTCOME, apply, prepareEvent } from "@seqlane/sequences";
import type { ApplyOptions, SequenceEvent, SequenceSpec, SequenceStore, UserState } from "@seqlane/sequences";
import { retry } from "../retry.js";
import type { RetryOptions } from "../retry.js";
import { StateCache } from "./state-cache.js";

/** One Kafka message as the processor needs it. */
export interface InputMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly offset: string;
  /** Kafka message timestamp, epoch ms as kafkajs gives it: what "in the future" is judged against. */
  readonly timestamp?: string;
}

export interface BatchResult {
  readonly messages: number;
  readonly users: number;
  readonly applied: number;
  readonly duplicate: number;
  readonly late: number;
  /** Compare-and-set conflicts resolved by reloading (another writer touched the user). */
  readonly conflicts: number;
  /** Rejected messages, ready for the DLQ topic. */
  readonly dlq: readonly DlqMessage[];
  readonly rejected: Readonly<Partial<Record<RejectKind, number>>>;
}

export interface ProcessorOptions {
  readonly store: SequenceStore;
  readonly spec: SequenceSpec;
  readonly apply?: ApplyOptions;
  readonly validate?: ValidateOptions;
  /** Users cached between batches; 0 disables. Default 20000. */
  readonly cacheUsers?: number;
  readonly retry?: RetryOptions;
  /** True once the batch should be given up instead of retried further. */
  readonly shouldStop?: () => boolean;
  readonly onRetry?: (e: unknown, attempt: number, waitMs: number) => void;
}

/** Most compare-and-set rounds per batch before the conflict is treated as a store failure. */
const MAX_CAS_ROUNDS = 20;

/**
 * The per-batch core of the consumer, Kafka-free: validate, group by user, one load round trip
 * (minus cached users), apply() in offset order, one compare-and-set save round trip, reload and
 * re-apply only the users that conflicted. Redis failures are retried with backoff; the batch
 * is redone from the stored state, so a retry never applies an event twice.
 */
export function createProcessor(opts: ProcessorOptions) {
  const cache = new StateCache(opts.cacheUsers ?? 20_000);
  const applyOpts = opts.apply ?? {};

  async function process(topic: string, partition: number, messages: readonly InputMessage[]): Promise<BatchResult> {
    const dlq: DlqMessage[] = [];
    const rejected: Partial<Record<RejectKind, number>> = {};
    const byUser = new Map<string, SequenceEvent[]>();
    for (const m of messages) {
      const r = parseEvent(m.value, opts.validate, kafkaTime(m.timestamp));
      if (!r.ok) {
        dlq.push(dlqMessage(m, r.error, { topic, partition, offset: m.offset }));
        rejected[r.error.kind] = (rejected[r.error.kind] ?? 0) + 1;
        continue;
      }
      const list = byUser.get(r.event.user_id);
      const ev = prepareEvent(r.event);
      if (list) list.push(ev);
      else byUser.set(r.event.user_id, [ev]);
    }
    const users = [...byUser.keys()];
    const counts = await retry(
      async () => {
        try {
          return await update(users, byUser);
        } catch (e) {
          // States in memory may hold applied-but-unsaved events: start over from the store.
          for (const u of users) cache.delete(u);
          throw e;
        }
      },
      { ...opts.retry, shouldStop: opts.shouldStop, onRetry: opts.onRetry },
    );
    return { messages: messages.length, users: users.length, ...counts, dlq, rejected };
  }

  async function update(users: string[], byUser: Map<string, SequenceEvent[]>) {
    const perUser = new Map<string, [number, number, number]>();
    let conflicts = 0;
    let pending = users;
    let states = await load(users);
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_CAS_ROUNDS) throw new Error(`compare-and-set kept conflicting for ${pending.length} users`);
      const dirty: { userId: string; state: UserState }[] = [];
      for (const u of pending) {
        const s = states.get(u)!;
        const c: [number, number, number] = [0, 0, 0];
        for (const ev of byUser.get(u)!) c[apply(s, ev, opts.spec, applyOpts)]!++;
        perUser.set(u, c);
        if (c[OUTCOME.applied] > 0) dirty.push({ userId: u, state: s });
        else cache.set(u, s);
      }
      const statuses = await opts.store.save(dirty);
      const again: string[] = [];
      statuses.forEach((st, i) => {
        const { userId, state } = dirty[i]!;
        if (st === "saved") cache.set(userId, state);
        else {
          cache.delete(userId);
          again.push(userId);
        }
      });
      conflicts += again.length;
      pending = again;
      if (again.length > 0) states = await load(again, true);
    }
    let applied = 0;
    let duplicate = 0;
    let late = 0;
    for (const c of perUser.values()) {
      applied += c[0];
      duplicate += c[1];
      late += c[2];
    }
    return { applied, duplicate, late, conflicts };
  }

  async function load(users: string[], bypassCache = false): Promise<Map<string, UserState>> {
    const out = new Map<string, UserState>();
    const missing: string[] = [];
    for (const u of users) {
      const s = bypassCache ? undefined : cache.get(u);
      if (s) out.set(u, s);
      else missing.push(u);
    }
    const loaded = await opts.store.load(missing);
    missing.forEach((u, i) => out.set(u, loaded[i]!));
    return out;
  }

  return {
    process,
    /** Drops cached states (on rebalance). */
    forget: () => cache.clear(),
  };
}

export type Processor = ReturnType<typeof createProcessor>;
