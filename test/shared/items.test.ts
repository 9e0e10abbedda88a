import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pool } from "../../src/pool";
import { Lock, Queue, SharedArrayFactory, SharedValue, Value } from "../../src/shared";

let pool: Pool;
beforeAll(() => {
  pool = new Pool(2);
});
afterAll(() => pool.terminate());

describe("shared objects as map items and results", () => {
  it("Values given as items are the same shared Values in the workers", async () => {
    const counters = [Value("i", 0), Value("i", 10), Value("i", 20)];
    const out = await pool.map((v: SharedValue<"i">) => {
      v.getLock().withLock(() => {
        v.value += 1;
      });
      return v.value;
    }, counters, 1);
    expect(out).toEqual([1, 11, 21]);
    expect(counters.map((v) => v.value)).toEqual([1, 11, 21]);
  });

  it("records and starmap tuples holding shared objects keep them, locks included", async () => {
    const lock = new Lock();
    const arr = SharedArrayFactory("d", 4);
    await pool.starmap((i: number, a: Float64Array, l: Lock) => l.withLock(() => (a[i] = i * 1.5)), [0, 1, 2, 3].map((i) => [i, arr, lock] as const), 1);
    expect([...arr]).toEqual([0, 1.5, 3, 4.5]);
    const q = new Queue<string>();
    await pool.map((job: { name: string; out: Queue<string> }) => job.out.putSync(job.name), [{ name: "a", out: q }, { name: "b", out: q }], 1);
    expect([await q.get(), await q.get()].sort()).toEqual(["a", "b"]);
  });

  it("a shared object made in a worker and returned arrives shared", async () => {
    const [made] = await pool.apply(() => {
      // The package as a notebook's worker code would load it (this file's imports are vitest's).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mp = require("lanes") as typeof import("../../src");
      const v = mp.Value("d", 2.5);
      const q = new mp.Queue<number>();
      q.putSync(7);
      return [{ v, q }];
    });
    expect(made.v).toBeInstanceOf(SharedValue);
    expect(made.v.value).toBe(2.5);
    expect(await made.q.get()).toBe(7);
    // The same memory: a worker that got it back sees the kernel's write.
    made.v.value = 4;
    await expect(pool.apply((v: SharedValue<"d">) => v.value, [made.v])).resolves.toBe(4);
  });

  it("plain items are unchanged beside them: numbers, records, strings", async () => {
    await expect(pool.map((x: number) => x + 1, [1, 2, 3])).resolves.toEqual([2, 3, 4]);
    await expect(pool.map((r: { id: number }) => ({ id: r.id * 2 }), [{ id: 1 }, { id: 2 }])).resolves.toEqual([{ id: 2 }, { id: 4 }]);
    await expect(pool.map((s: string) => s.toUpperCase(), ["a", "b"])).resolves.toEqual(["A", "B"]);
  });
});
