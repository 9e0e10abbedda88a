import { describe, expect, it } from "vitest";
import { Pool } from "../../src/pool";
import { AggregateTaskError, WorkerCrashedError, WorkerOutOfMemoryError } from "../../src/errors";

// Issue 14 point 2: a task past the worker's heap limit fails that item only; the kernel lives on.
describe("a task that exceeds the worker's heap limit (resourceLimits)", () => {
  it("fails with WorkerOutOfMemoryError at its index, the other results arrive, a replacement worker takes over", async () => {
    await Pool.with({ processes: 2, resourceLimits: { maxOldGenerationSizeMb: 32 } }, async (pool) => {
      const before = pool.threadIds;
      const hog = (i: number) => {
        if (i !== 5) return i * i;
        const kept: number[][] = [];
        for (;;) kept.push(new Array<number>(100_000).fill(i));
      };
      const error = await pool.map(hog, Array.from({ length: 12 }, (_, i) => i), { stopOnError: false, chunksize: 3 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AggregateTaskError);
      const agg = error as AggregateTaskError<number>;
      expect(agg.errors).toHaveLength(1);
      const oom = agg.errors[0]!;
      expect(oom).toBeInstanceOf(WorkerOutOfMemoryError);
      expect(oom).toBeInstanceOf(WorkerCrashedError);
      expect(oom.index).toBe(5);
      expect(oom.message).toMatch(/ran out of memory while running item 5.*resourceLimits/);
      expect(agg.results).toEqual(Array.from({ length: 12 }, (_, i) => (i === 5 ? undefined : i * i)));
      // The worker that ran out was replaced: the pool is at full size, with a thread it did not have.
      expect(pool.threadIds).toHaveLength(2);
      expect(pool.threadIds).not.toEqual(before);
      await expect(pool.map((x: number) => x + 1, [1, 2, 3])).resolves.toEqual([2, 3, 4]);
    });
  });

  it("by default rejects the call with it", async () => {
    await Pool.with({ processes: 1, resourceLimits: { maxOldGenerationSizeMb: 32 } }, async (pool) => {
      const grow = () => {
        const kept: { n: number }[] = [];
        for (let n = 0; ; n++) kept.push({ n });
      };
      await expect(pool.apply(grow)).rejects.toBeInstanceOf(WorkerOutOfMemoryError);
      await expect(pool.apply((a: number) => a * 2, [21])).resolves.toBe(42);
    });
  });
});
