import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pool } from "../../src/pool";
import { AggregateTaskError, BrokenPoolError, RemoteError, WorkerCrashedError } from "../../src/errors";

// Issue 14 point 1: a worker that dies (process.exit) fails only the item it was running.
let pool: Pool;
beforeAll(() => {
  pool = new Pool(2);
});
afterAll(() => pool.terminate());

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Runs of each item, counted in shared memory by the task itself: crashed workers cannot hide them. */
const counter = (n: number): Int32Array => new Int32Array(new SharedArrayBuffer(4 * n));

describe("a task that calls process.exit", () => {
  it("fails only its item, with the exit code, at its index; with stopOnError: false every other result arrives", async () => {
    const runs = counter(40);
    const dies = [7, 21, 22];
    const task = (i: number) => {
      Atomics.add(runs, i, 1);
      if (dies.includes(i)) process.exit(40 + i);
      return i * 2;
    };
    const error = await pool.map(task, range(40), { stopOnError: false, context: { runs, dies } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateTaskError);
    const agg = error as AggregateTaskError<number>;
    expect(agg.errors.map((e) => e.index)).toEqual(dies);
    for (const e of agg.errors) {
      expect(e).toBeInstanceOf(WorkerCrashedError);
      expect((e as WorkerCrashedError).exitCode).toBe(40 + e.index!);
      expect(e.message).toMatch(new RegExp(`died while running item ${e.index!} \\(exit code ${40 + e.index!}\\)`));
    }
    expect(agg.results).toEqual(range(40).map((i) => (dies.includes(i) ? undefined : i * 2)));
    // Each crashing item ran once; every other item ran (again, when its result was lost with a worker).
    for (const i of range(40)) {
      if (dies.includes(i)) expect(Atomics.load(runs, i), `item ${i}`).toBe(1);
      else expect(Atomics.load(runs, i), `item ${i}`).toBeGreaterThanOrEqual(1);
    }
    expect(pool.threadIds).toHaveLength(2);
  });

  it("items answered before the crash are not run again; those after it run once", async () => {
    await Pool.with(1, async (one) => {
      const runs = counter(10);
      const task = (i: number) => {
        Atomics.add(runs, i, 1);
        if (i === 7) process.exit(3);
        return i;
      };
      // One worker, chunks of 5: items 0-4 are answered first, then 5-9 run and 7 kills the worker.
      const error = (await one.map(task, range(10), { chunksize: 5, stopOnError: false, context: { runs } }).catch((e: unknown) => e)) as AggregateTaskError<number>;
      expect(error.errors.map((e) => [e.name, e.index])).toEqual([["WorkerCrashedError", 7]]);
      expect(error.results).toEqual([0, 1, 2, 3, 4, 5, 6, undefined, 8, 9]);
      // 5 and 6 ran before 7 in the same message: their results died with the worker, so they ran again.
      expect([...runs]).toEqual([1, 1, 1, 1, 1, 2, 2, 1, 1, 1]);
      await expect(one.map((x: number) => x + 1, [1, 2])).resolves.toEqual([2, 3]);
    });
  });

  it("by default rejects the call with that item's WorkerCrashedError; the pool goes on at full size", async () => {
    const task = (i: number) => (i === 3 ? process.exit(9) : i);
    const error = await pool.map(task, range(8), 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error).toMatchObject({ index: 3, exitCode: 9 });
    expect(pool.threadIds).toHaveLength(2);
    await expect(pool.map((x: number) => x * 3, range(5))).resolves.toEqual([0, 3, 6, 9, 12]);
  });

  it("apply and starmap fail the same way", async () => {
    await expect(pool.apply((code: number) => process.exit(code), [5])).rejects.toMatchObject({ name: "WorkerCrashedError", index: 0, exitCode: 5 });
    const error = (await pool.starmap((a: number, b: number) => (a === 2 ? process.exit(b) : a + b), [[1, 1], [2, 6], [3, 3]], { stopOnError: false }).catch((e: unknown) => e)) as AggregateTaskError<number>;
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0]).toMatchObject({ index: 1, exitCode: 6 });
    expect(error.results).toEqual([2, undefined, 6]);
  });

  it("imap and imapUnordered yield every other result, then throw the AggregateTaskError", async () => {
    const task = (i: number) => (i === 4 ? process.exit(2) : i + 100);
    for (const iterate of [pool.imap.bind(pool), pool.imapUnordered.bind(pool)]) {
      const seen: number[] = [];
      const error = await (async () => {
        for await (const r of iterate(task, range(10), { stopOnError: false })) seen.push(r);
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AggregateTaskError);
      expect((error as AggregateTaskError).errors.map((e) => [e.name, e.index])).toEqual([["WorkerCrashedError", 4]]);
      expect(seen.sort((a, b) => a - b)).toEqual(range(10).filter((i) => i !== 4).map((i) => i + 100));
    }
  });

  it("crashes, thrown errors and results mix in one call, each at its own index", async () => {
    const task = (i: number) => {
      if (i % 10 === 3) process.exit(1);
      if (i % 10 === 6) throw new RangeError(`bad ${i}`);
      return -i;
    };
    const error = (await pool.map(task, range(30), { stopOnError: false, chunksize: 4 }).catch((e: unknown) => e)) as AggregateTaskError<number>;
    expect(error.errors.map((e) => [e.index, e.constructor.name])).toEqual([
      [3, "WorkerCrashedError"], [6, "RemoteError"], [13, "WorkerCrashedError"], [16, "RemoteError"], [23, "WorkerCrashedError"], [26, "RemoteError"],
    ]);
    expect(error.errors.filter((e) => e instanceof RemoteError).map((e) => e.message)).toEqual(["bad 6", "bad 16", "bad 26"]);
    expect(error.results).toEqual(range(30).map((i) => (i % 10 === 3 || i % 10 === 6 ? undefined : -i)));
    expect(pool.threadIds).toHaveLength(2);
  });
});

describe("workers that die as they start", () => {
  it("an initializer that calls process.exit breaks the pool after a few starts instead of leaving the call waiting", async () => {
    await Pool.with({ processes: 2, initializer: () => process.exit(4) }, async (broken) => {
      const error = await broken.map((x: number) => x, [1, 2, 3]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokenPoolError);
      expect((error as Error).message).toMatch(/exit as they start.*initializer calls process\.exit\(\)/);
      await expect(broken.apply(() => 1)).rejects.toBeInstanceOf(BrokenPoolError);
    });
  });
});
