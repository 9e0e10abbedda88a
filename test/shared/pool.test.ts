import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pool } from "../../src/pool";
import { Lock, SharedArrayFactory as SharedArray, Value } from "../../src/shared";

let pool: Pool;
beforeAll(() => {
  pool = new Pool(2);
});
afterAll(() => pool.terminate());

const N = 100_000;

// Given only through `context` (declared for the type checker; it is no variable here).
declare const fromContext: ReturnType<typeof Value<"i">>;

describe("shared objects captured by shipped functions", () => {
  it("2 workers x 10^5 locked increments of a captured Value('i'): the exact total", async () => {
    const counter = Value("i", 0);
    const add = (n: number) => {
      const lock = counter.getLock();
      for (let k = 0; k < n; k++) lock.withLock(() => counter.value++);
      return n;
    };
    await pool.map(add, [N, N], { chunksize: 1 });
    expect(counter.value).toBe(2 * N);
  });

  it("the same increments without the lock never exceed the total (and may lose updates)", async () => {
    // No Barrier to line the two loops up: the pool may hand both items to one worker, which would then wait forever.
    const counter = Value("i", 0, { lock: false });
    const add = (n: number) => {
      for (let k = 0; k < n; k++) counter.value++;
      return n;
    };
    await pool.map(add, [N, N], { chunksize: 1 });
    expect(counter.value).toBeGreaterThan(0);
    expect(counter.value).toBeLessThanOrEqual(2 * N);
  });

  it("a plain Lock shared by two Values arrives as one Lock; a shared Array", async () => {
    const lock = new Lock();
    const a = Value("d", 0, { lock });
    const b = Value("q", 0n, { lock });
    const hist = SharedArray("i", 4);
    const step = (i: number) => {
      for (let k = 0; k < 1000; k++) {
        lock.withLock(() => {
          a.value += 1;
          b.value += 2n;
        });
        Atomics.add(hist, i % 4, 1);
      }
      return a.getLock() === b.getLock();
    };
    const same = await pool.map(step, [0, 1, 2, 3], { chunksize: 1 });
    expect(same).toEqual([true, true, true, true]);
    expect(a.value).toBe(4000);
    expect(b.value).toBe(8000n);
    expect([...hist]).toEqual([1000, 1000, 1000, 1000]);
    expect(lock.locked()).toBe(false);
  });

  it("arrives shared through Pool context", async () => {
    const total = Value("i", 0);
    const bump = (n: number) => {
      fromContext.getLock().withLock(() => (fromContext.value += n));
      return fromContext.typecode;
    };
    await expect(pool.map(bump, [1, 2, 3, 4], { chunksize: 1, context: { fromContext: total } })).resolves.toEqual(["i", "i", "i", "i"]);
    expect(total.value).toBe(10);
  });

  it("arrives shared as initargs (Python's initializer pattern)", async () => {
    const hits = Value("i", 0);
    const p = new Pool({
      processes: 2,
      initializer: (v: typeof hits) => {
        (globalThis as { hits?: typeof hits }).hits = v;
      },
      initargs: [hits],
    });
    try {
      const bump = (n: number) => {
        const v = (globalThis as { hits?: typeof hits }).hits!;
        for (let k = 0; k < n; k++) v.getLock().withLock(() => v.value++);
        return v.typecode;
      };
      await expect(p.map(bump, [100, 100, 100], { chunksize: 1 })).resolves.toEqual(["i", "i", "i"]);
      expect(hits.value).toBe(300);
    } finally {
      await p.terminate();
    }
  });

  it("arrives shared as apply arguments", async () => {
    const v = Value("q", 1n);
    const lock = new Lock();
    const twice = (x: typeof v, l: Lock, k: number) => l.withLock(() => (x.value *= BigInt(k)));
    await expect(pool.apply(twice, [v, lock, 6])).resolves.toBe(6n);
    expect(v.value).toBe(6n);
  });
});
