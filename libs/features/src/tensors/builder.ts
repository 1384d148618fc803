import { bucket } from "../hash/bucket.js";
import type { ContextFieldSpec, Manifest, SlotFieldSpec, SlotSpec } from "../manifest/types.js";
import { Buffers, type Int64Slab, type TensorData } from "./buffers.js";
import type { EncodedCandidates } from "./candidates.js";
import { timeGapBucket } from "./derived.js";
import { selectCategoryMatch, selectPlain, selectSessions } from "./select.js";
import { BEHAVIOUR_CODES, type SequenceBlock, type UserSequences } from "@seqlane/sequences";

/** Request context; hour and day default to `now` in UTC. */
export interface RequestContext {
  readonly hourOfDay?: number | undefined;
  readonly dayOfWeek?: number | undefined;
  readonly position?: number | undefined;
}

/** One user block of a batch: that user's sequences, candidates and context. */
export interface UserBlockInput {
  readonly sequences: UserSequences;
  readonly candidates: EncodedCandidates;
  readonly context?: RequestContext | undefined;
  /** Request time, epoch ms (time gaps are measured to it). */
  readonly now: number;
}

/** Tensors of one batch, in manifest order, plus the sizes they were built at. */
export interface TensorBatch {
  readonly users: number;
  readonly candidates: number;
  /** Length axis chosen per slot name (L or K). */
  readonly lengths: Readonly<Record<string, number>>;
  readonly tensors: readonly TensorData[];
}

export interface TensorBuilderOptions {
  /**
   * true (serving): typed arrays are reused between builds, so a batch is valid only until the
   * next `build` on this builder. false: fresh arrays per build (samples, tests).
   * Default true.
   */
  readonly reuseBuffers?: boolean;
  /** true: every length axis at its slot's max_len, ignoring length_buckets (training samples). Default false. */
  readonly fixedLengths?: boolean;
}

export interface BuildOptions {
  /** Force the length axis of these slots (warm-up of each length bucket). */
  readonly lengths?: Readonly<Record<string, number>>;
}

interface CompiledSlot {
  readonly spec: SlotSpec;
  readonly allowed: Uint8Array | null;
}

/** All length values a slot's batches can take: its length buckets, or just max_len. */
export function slotLengths(slot: SlotSpec, fixedLengths = false): readonly number[] {
  if (fixedLengths || slot.length_buckets === undefined || slot.length_buckets.length === 0) return [slot.max_len];
  return slot.length_buckets;
}

function pickLength(slot: SlotSpec, longest: number, fixed: boolean): number {
  for (const l of slotLengths(slot, fixed)) if (l >= longest) return l;
  return slot.max_len;
}

/**
 * Builds a model's input tensors from a manifest, user-major (docs/manifest.md): user tensors
 * once per user block [U, ...], candidate tensors [C], category_match blocks [C, K], context [U],
 * and `cand_user_index` [C]. Several requests are several user blocks of one batch.
 * Ids are hashed with `bucket`; int64 values are written through 32-bit views (no BigInt).
 */
export class TensorBuilder {
  private readonly slots: readonly CompiledSlot[];
  private readonly out: Buffers;
  private readonly scratch = new Buffers(true);
  private readonly fixed: boolean;

  constructor(
    readonly manifest: Manifest,
    options: TensorBuilderOptions = {},
  ) {
    this.out = new Buffers(options.reuseBuffers ?? true);
    this.fixed = options.fixedLengths ?? false;
    this.slots = manifest.slots.map((spec) => {
      let allowed: Uint8Array | null = null;
      if (spec.types !== undefined && spec.types.length > 0) {
        allowed = new Uint8Array(8);
        for (const t of spec.types) allowed[BEHAVIOUR_CODES[t]] = 1;
      }
      return { spec, allowed };
    });
  }

  build(users: readonly UserBlockInput[], options: BuildOptions = {}): TensorBatch {
    const U = users.length;
    let C = 0;
    for (const u of users) C += u.candidates.count;
    const tensors: TensorData[] = [];
    const lengths: Record<string, number> = {};
    for (const slot of this.slots) {
      const forced = options.lengths?.[slot.spec.name];
      lengths[slot.spec.name] = this.buildSlot(slot, users, U, C, forced, tensors);
    }
    this.buildCandidates(users, C, tensors);
    this.buildContext(users, U, tensors);
    const cui = this.out.int64(this.manifest.cand_user_index, C);
    let c = 0;
    for (let u = 0; u < U; u++) for (let k = 0; k < users[u]!.candidates.count; k++) cui.i32[2 * c++] = u;
    tensors.push({ name: this.manifest.cand_user_index, dtype: "int64", dims: [C], data: cui.big });
    return { users: U, candidates: C, lengths, tensors };
  }

  private buildSlot(
    slot: CompiledSlot,
    users: readonly UserBlockInput[],
    U: number,
    C: number,
    forced: number | undefined,
    tensors: TensorData[],
  ): number {
    const { spec, allowed } = slot;
    const max = spec.max_len;
    if (spec.view === "plain") {
      const sel = this.scratch.int32(`${spec.name}/sel`, U * max);
      const lens = this.scratch.int32(`${spec.name}/len`, U);
      let longest = 0;
      for (let u = 0; u < U; u++) {
        const n = selectPlain(users[u]!.sequences[spec.source], allowed, max, sel, u * max);
        lens[u] = n;
        if (n > longest) longest = n;
      }
      const L = forced ?? pickLength(spec, longest, this.fixed);
      const fill = this.allocate(spec, U * L, [U, L], tensors);
      for (let u = 0; u < U; u++) {
        const user = users[u]!;
        fill.block(user.sequences[spec.source], sel, u * max, Math.min(lens[u]!, L), u * L, L, user.now);
      }
      return L;
    }
    if (spec.view === "sessions") {
      const S = spec.max_sessions ?? 1;
      const sel = this.scratch.int32(`${spec.name}/sel`, U * S * max);
      const lens = this.scratch.int32(`${spec.name}/len`, U * S);
      const counts = this.scratch.int32(`${spec.name}/count`, U);
      let longest = 0;
      for (let u = 0; u < U; u++) {
        const block = users[u]!.sequences[spec.source];
        const ns = selectSessions(block, allowed, S, max, sel, u * S * max, lens, u * S);
        counts[u] = ns;
        for (let s = 0; s < ns; s++) if (lens[u * S + s]! > longest) longest = lens[u * S + s]!;
      }
      const L = forced ?? pickLength(spec, longest, this.fixed);
      const fill = this.allocate(spec, U * S * L, [U, S, L], tensors);
      for (let u = 0; u < U; u++) {
        const user = users[u]!;
        const block = user.sequences[spec.source];
        const ns = counts[u]!;
        for (let j = 0; j < ns; j++) {
          // j = 0 is the newest session; left padding puts it last.
          const slotIdx = spec.padding === "left" ? S - 1 - j : ns - 1 - j;
          const n = Math.min(lens[u * S + j]!, L);
          fill.block(block, sel, (u * S + j) * max, n, (u * S + slotIdx) * L, L, user.now);
        }
      }
      return L;
    }
    // category_match: one block per candidate, [C, K].
    const sel = this.scratch.int32(`${spec.name}/sel`, C * max);
    const lens = this.scratch.int32(`${spec.name}/len`, C);
    let longest = 0;
    let c = 0;
    for (let u = 0; u < U; u++) {
      const user = users[u]!;
      const block = user.sequences[spec.source];
      for (let k = 0; k < user.candidates.count; k++, c++) {
        const n = selectCategoryMatch(block, allowed, user.candidates, k, max, sel, c * max);
        lens[c] = n;
        if (n > longest) longest = n;
      }
    }
    const K = forced ?? pickLength(spec, longest, this.fixed);
    const fill = this.allocate(spec, C * K, [C, K], tensors);
    c = 0;
    for (let u = 0; u < U; u++) {
      const user = users[u]!;
      const block = user.sequences[spec.source];
      for (let k = 0; k < user.candidates.count; k++, c++) {
        fill.block(block, sel, c * max, Math.min(lens[c]!, K), c * K, K, user.now);
      }
    }
    return K;
  }

  /** Allocates a slot's field and mask tensors and returns a filler for one block (row). */
  private allocate(spec: SlotSpec, size: number, dims: number[], tensors: TensorData[]) {
    const fields: { f: SlotFieldSpec; slab: Int64Slab }[] = spec.fields.map((f) => {
      const slab = this.out.int64(f.tensor, size);
      tensors.push({ name: f.tensor, dtype: "int64", dims, data: slab.big });
      return { f, slab };
    });
    let mask: Float32Array | null = null;
    if (spec.mask !== undefined) {
      mask = this.out.float32(spec.mask, size);
      tensors.push({ name: spec.mask, dtype: "float32", dims, data: mask });
    }
    const left = spec.padding === "left";
    return {
      /** Writes n selected records (sel[selAt..], newest first) into the row at `base` of length L. */
      block(block: SequenceBlock, sel: Int32Array, selAt: number, n: number, base: number, L: number, now: number) {
        for (let j = 0; j < n; j++) {
          const r = sel[selAt + j]!;
          const idx = base + (left ? L - 1 - j : n - 1 - j);
          if (mask !== null) mask[idx] = 1;
          for (const { f, slab } of fields) slab.i32[2 * idx] = slotValue(f, block, r, j, now);
        }
      },
    };
  }

  private buildCandidates(users: readonly UserBlockInput[], C: number, tensors: TensorData[]): void {
    for (const f of this.manifest.candidate) {
      const slab = this.out.int64(f.tensor, C);
      let c = 0;
      for (const user of users) {
        const cands = user.candidates;
        for (let k = 0; k < cands.count; k++, c++) {
          let v: number;
          if (f.field === "item") v = bucket(cands.item[2 * k]!, cands.item[2 * k + 1]!, f.buckets);
          else if (f.field === "category")
            v = cands.hasCategory[k] === 1 ? bucket(cands.category[2 * k]!, cands.category[2 * k + 1]!, f.buckets) : 0;
          else {
            const lo = cands.brand[2 * k]!;
            const hi = cands.brand[2 * k + 1]!;
            v = lo === 0 && hi === 0 ? 0 : bucket(lo, hi, f.buckets);
          }
          slab.i32[2 * c] = v;
        }
      }
      tensors.push({ name: f.tensor, dtype: "int64", dims: [C], data: slab.big });
    }
  }

  private buildContext(users: readonly UserBlockInput[], U: number, tensors: TensorData[]): void {
    for (const f of this.manifest.context ?? []) {
      const slab = this.out.int64(f.tensor, U);
      for (let u = 0; u < U; u++) slab.i32[2 * u] = contextValue(f, users[u]!);
      tensors.push({ name: f.tensor, dtype: "int64", dims: [U], data: slab.big });
    }
  }
}

function slotValue(f: SlotFieldSpec, block: SequenceBlock, r: number, j: number, now: number): number {
  switch (f.field) {
    case "item":
      return bucket(block.item[2 * r]!, block.item[2 * r + 1]!, f.buckets!);
    case "category":
      return bucket(block.category[2 * r]!, block.category[2 * r + 1]!, f.buckets!);
    case "brand": {
      const lo = block.brand[2 * r]!;
      const hi = block.brand[2 * r + 1]!;
      return lo === 0 && hi === 0 ? 0 : bucket(lo, hi, f.buckets!);
    }
    case "type":
      return block.type[r]!;
    case "time_gap":
      return timeGapBucket(now, block.ts[r]!, f.buckets!);
    case "position":
      return j + 1;
  }
}

function contextValue(f: ContextFieldSpec, user: UserBlockInput): number {
  const ctx = user.context;
  let v: number;
  if (f.field === "hour_of_day") v = 1 + (ctx?.hourOfDay ?? new Date(user.now).getUTCHours());
  else if (f.field === "day_of_week") v = 1 + (ctx?.dayOfWeek ?? new Date(user.now).getUTCDay());
  else v = ctx?.position === undefined ? 0 : 1 + ctx.position;
  return f.buckets === undefined ? v : Math.min(v, f.buckets - 1);
}
