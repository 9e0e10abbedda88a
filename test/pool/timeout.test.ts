import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pool } from "../../src/pool";
import { AggregateTaskError, TimeoutError } from "../../src/errors";

// Issue 14 point 3: `{ timeout }` bounds each item; the item past it fails, its worker is replaced.
// No assertion on elapsed time: only on what failed, where, and what else arrived.
let pool: Pool;
beforeAll(() => {
  pool = new Pool(2);
});
afterAll(() => pool.terminate());

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
/** Never returns for item `stuck`: only ending its worker stops it. */
const spinAt = (stuck: number) => (i: number) => {
  if (i === stuck) for (;;);
  return i * 10;
};

describe("timeout", () => {
  it("an endless loop fails with TimeoutError at its index; with stopOnError: false the other results arrive", async () => {
    const before = pool.threadIds;
    const error = await pool.map(spinAt(4), range(12), { timeout: 600, stopOnError: false, chunksize: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateTaskError);
    const agg = error as AggregateTaskError<number>;
    expect(agg.errors).toHaveLength(1);
    expect(agg.errors[0]).toBeInstanceOf(TimeoutError);
    expect(agg.errors[0]).toMatchObject({ index: 4, timeout: 600 });
    expect(agg.errors[0]!.message).toMatch(/Item 4 ran longer than the call's timeout of 600 ms/);
    expect(agg.results).toEqual(range(12).map((i) => (i === 4 ? undefined : i * 10)));
    // Its worker was ended and replaced: the slot is in use again.
    expect(pool.threadIds).toHaveLength(2);
    expect(pool.threadIds).not.toEqual(before);
    await expect(pool.map((x: number) => x + 1, range(4))).resolves.toEqual([1, 2, 3, 4]);
  });

  it("by default the call rejects with the TimeoutError", async () => {
    await expect(pool.map(spinAt(1), range(3), { timeout: 500 })).rejects.toMatchObject({ name: "TimeoutError", index: 1 });
  });

  it("bounds starmap, apply, imap and imapUnordered too, and an async task that never settles", async () => {
    await expect(pool.apply(() => new Promise<never>(() => undefined), [], { timeout: 500 })).rejects.toMatchObject({ name: "TimeoutError", index: 0 });
    const star = (await pool.starmap((a: number, b: number) => (a === 2 ? spinAt(0)(0) : a + b), [[1, 1], [2, 2], [3, 3]], { timeout: 500, stopOnError: false }).catch((e: unknown) => e)) as AggregateTaskError<number>;
    expect(star.errors.map((e) => [e.name, e.index])).toEqual([["TimeoutError", 1]]);
    expect(star.results).toEqual([2, undefined, 6]);
    for (const iterate of [pool.imap.bind(pool), pool.imapUnordered.bind(pool)]) {
      const seen: number[] = [];
      const error = await (async () => {
        for await (const r of iterate(spinAt(2), range(6), { timeout: 500, stopOnError: false })) seen.push(r);
      })().catch((e: unknown) => e);
      expect((error as AggregateTaskError).errors.map((e) => [e.name, e.index])).toEqual([["TimeoutError", 2]]);
      expect(seen.sort((a, b) => a - b)).toEqual([0, 10, 30, 40, 50]);
    }
  });

  it("several stuck items in one call: each fails, the slots are reused for the rest", async () => {
    const stuck = [0, 1, 7];
    const task = (i: number) => {
      if (stuck.includes(i)) for (;;);
      return -i;
    };
    // Both workers are stuck at first (items 0 and 1): only replacing them lets the call go on.
    const error = (await pool.map(task, range(10), { timeout: 500, stopOnError: false, chunksize: 1, context: { stuck } }).catch((e: unknown) => e)) as AggregateTaskError<number>;
    expect(error.errors.map((e) => [e.name, e.index])).toEqual(stuck.map((i) => ["TimeoutError", i]));
    expect(error.results).toEqual(range(10).map((i) => (stuck.includes(i) ? undefined : -i)));
    expect(pool.threadIds).toHaveLength(2);
  });

  it("a pool's timeout is every call's default; a call's own wins", async () => {
    await Pool.with({ processes: 1, timeout: 500 }, async (bounded) => {
      await expect(bounded.apply(() => { for (;;); })).rejects.toMatchObject({ name: "TimeoutError", timeout: 500 });
      await expect(bounded.map(spinAt(0), [0], { timeout: 700 })).rejects.toMatchObject({ name: "TimeoutError", timeout: 700 });
      // Items that finish are never ended, whatever the limit.
      await expect(bounded.map((x: number) => x * 2, range(50), { timeout: Infinity })).resolves.toEqual(range(50).map((x) => x * 2));
    });
  });
});
