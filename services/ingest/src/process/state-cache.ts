import type { UserState } from "@seqlane/sequences";

/**
 * Users' states kept between batches, least recently used evicted. Safe because every write is
 * compare-and-set: a stale entry only costs a conflict and a reload.
 */
export class StateCache {
  private readonly map = new Map<string, UserState>();
  constructor(private readonly capacity: number) {}

  get(userId: string): UserState | undefined {
    const s = this.map.get(userId);
    if (s) {
      this.map.delete(userId);
      this.map.set(userId, s);
    }
    return s;
  }

  set(userId: string, state: UserState): void {
    if (this.capacity === 0) return;
    this.map.delete(userId);
    this.map.set(userId, state);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }

  delete(userId: string): void {
    this.map.delete(userId);
  }

  clear(): void {
    this.map.clear();
  }
}
