import { describe, expect, it } from "vitest";
import type { Batch } from "../../src/buffer.js";
import { CommitQueue } from "../../src/commit-queue.js";

const batch = (offset: string): Batch<object> => ({
  topic: "t",
  rows: [{}],
  rejected: [],
  commits: new Map([[0, offset]]),
  links: [],
});

describe("CommitQueue", () => {
  it("commits batches in order, each only after its write, retrying a failed write", async () => {
    const log: string[] = [];
    let fail = 1;
    const q = new CommitQueue({
      topic: "t",
      write: async (b) => {
        if (b.commits.get(0) === "1" && fail-- > 0) throw new Error("down");
        await new Promise((r) => setTimeout(r, b.commits.get(0) === "1" ? 20 : 0));
        log.push(`write ${b.commits.get(0)}`);
      },
      commit: async (offsets) => void log.push(`commit ${offsets[0]!.offset}`),
      log: () => {},
      stopping: () => false,
      sleep: async () => {},
    });
    await Promise.all([q.enqueue(batch("1")), q.enqueue(batch("2"))]);
    expect(log).toEqual(["write 1", "commit 1", "write 2", "commit 2"]);
    expect(q.commits).toBe(2);
  });

  it("gives a batch up while stopping and commits nothing after it", async () => {
    const committed: string[] = [];
    const q = new CommitQueue({
      topic: "t",
      write: async (b) => {
        if (b.commits.get(0) === "1") throw new Error("down");
      },
      commit: async (offsets) => void committed.push(offsets[0]!.offset),
      log: () => {},
      stopping: () => true,
      sleep: async () => {},
    });
    await expect(q.enqueue(batch("1"))).rejects.toThrow("down");
    await q.enqueue(batch("2"));
    expect(q.broken).toBe(true);
    expect(committed).toEqual([]);
  });
});
