import { Piscina } from "piscina";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AggregateTaskError, NotShippableError, PoolClosedError, RemoteError } from "../../src/errors";
import { Pool } from "../../src/pool";
import { firstHeldBack, heldBack, reached, release } from "../helpers/handshake";

let pool: Pool;
beforeAll(() => {
  pool = new Pool(2);
});
afterAll(() => pool.terminate());

describe("pool.map", () => {
  it("returns results in input order", async () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    await expect(pool.map((x: number) => x * 2, items)).resolves.toEqual(items.map((x) => x * 2));
  });

  it("keeps order when later items finish first", async () => {
    const { items, flag } = heldBack(5);
    const call = pool.map(firstHeldBack, items, 1);
    // Items 1–4 ran (on the other worker) while item 0 is held back.
    await reached(flag, 2, 4);
    release(flag);
    await expect(call).resolves.toEqual([0, 1, 2, 3, 4]);
  });

  it("takes any iterable: generators, Sets, typed arrays, strings", async () => {
    function* gen() {
      for (let i = 0; i < 10; i++) yield i;
    }
    const inc = (x: number) => x + 1;
    await expect(pool.map(inc, gen())).resolves.toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await expect(pool.map(inc, new Set([5, 6]))).resolves.toEqual([6, 7]);
    await expect(pool.map(inc, new Int32Array([1, -2]))).resolves.toEqual([2, -1]);
    await expect(pool.map(inc, new Float64Array([0.5, NaN]))).resolves.toEqual([1.5, NaN]);
    await expect(pool.map((c: string) => c.toUpperCase(), "ab")).resolves.toEqual(["A", "B"]);
  });

  it("returns values of any kind, mixed", async () => {
    const kinds = (x: number) => (x === 0 ? "zero" : x === 1 ? { one: [1] } : x === 2 ? null : x === 3 ? undefined : -0);
    const out = await pool.map(kinds, [0, 1, 2, 3, 4]);
    expect(out).toEqual(["zero", { one: [1] }, null, undefined, -0]);
    expect(Object.is(out[4], -0)).toBe(true);
  });

  it("gives [] for empty input without starting work", async () => {
    const explode = (): never => {
      throw new Error("must not run");
    };
    await expect(pool.map(explode, [])).resolves.toEqual([]);
    await expect(pool.map(explode, new Set())).resolves.toEqual([]);
  });

  it("honours chunksize, as a number or an option", async () => {
    const items = Array.from({ length: 101 }, (_, i) => i);
    await expect(pool.map((x: number) => -x, items, 7)).resolves.toEqual(items.map((x) => -x));
    await expect(pool.map((x: number) => -x, items, { chunksize: 1000 })).resolves.toEqual(items.map((x) => -x));
  });

  it("awaits async task functions in the worker", async () => {
    const twiceLater = async (x: number) => {
      await Promise.resolve();
      return 2 * x;
    };
    await expect(pool.map(twiceLater, [1, 2, 3])).resolves.toEqual([2, 4, 6]);
  });
});

describe("records and tuples in bulk (they travel as columns)", () => {
  const records = Array.from({ length: 5000 }, (_, id) => ({ id, name: `item-${id}`, value: id === 7 ? -0 : id / 2, tags: id % 3 === 0 ? ["three"] : [] }));
  const bump = (r: { id: number; name: string; value: number; tags: string[] }) => ({ ...r, value: r.value + 1, tags: [...r.tags, "seen"] });

  it("map returns records equal to those a serial loop gives, key order and all", async () => {
    const out = await pool.map(bump, records);
    expect(out).toStrictEqual(records.map(bump));
    expect(Object.keys(out[0]!)).toEqual(["id", "name", "value", "tags"]);
  });

  it("records of two shapes, class instances and records among numbers all still arrive", async () => {
    class Point {
      constructor(readonly x: number) {}
    }
    const mixed: unknown[] = records.map((r, i) => (i === 100 ? { other: true } : i === 200 ? new Point(1) : i === 300 ? 3 : r));
    const same = (x: unknown) => x;
    // The instance travels with its class (src/ship/instance-codec.ts), not as a stripped copy.
    const out = await pool.map(same, mixed, 500);
    expect(out).toStrictEqual(mixed);
    expect(out[200]).toBeInstanceOf(Point);
  });

  it("starmap spreads tuples sent as columns", async () => {
    const pairs = Array.from({ length: 2000 }, (_, i): [number, string] => [i, `k${i}`]);
    const join = (a: number, b: string) => [b, a * 2] as const;
    await expect(pool.starmap(join, pairs)).resolves.toStrictEqual(pairs.map(([a, b]) => [b, a * 2]));
  });

  it("a worker retiring mid-message hands the rest of its columns to another", async () => {
    const recycling = new Pool({ processes: 2, maxTasksPerChild: 3 });
    try {
      const tagged = (r: { id: number }) => ({ id: r.id, worker: ((globalThis as Record<string, unknown>).lanesWorkerTag ??= Math.random()) as number });
      const out = await recycling.map(tagged, records.slice(0, 2000), 40);
      expect(out.map((r) => r.id)).toEqual(records.slice(0, 2000).map((r) => r.id));
      // 50 chunks at 3 per worker: at least 17 workers took part, most of them retiring part-way through a message.
      expect(new Set(out.map((r) => r.worker)).size).toBeGreaterThanOrEqual(17);
    } finally {
      await recycling.terminate();
    }
  });
});

describe("pool.starmap and pool.apply", () => {
  it("starmap spreads each tuple", async () => {
    await expect(pool.starmap((a: number, b: string) => `${b}${a}`, [[1, "x"], [2, "y"]])).resolves.toEqual(["x1", "y2"]);
  });

  it("apply runs one call", async () => {
    await expect(pool.apply((a: number, b: number) => a * b, [6, 7])).resolves.toBe(42);
    await expect(pool.apply(() => "no args")).resolves.toBe("no args");
    await expect(pool.apply(async (s: string) => s.length, ["four"])).resolves.toBe(4);
  });
});

describe("errors", () => {
  function failOn3(x: number): number {
    if (x === 3) throw new RangeError(`three is not allowed (got ${x})`);
    return x;
  }

  it("rejects with a RemoteError carrying the remote name, message, stack and index", async () => {
    const error = await pool.map(failOn3, [0, 1, 2, 3, 4], 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteError);
    const remote = error as RemoteError;
    expect(remote.remoteName).toBe("RangeError");
    expect(remote.message).toBe("three is not allowed (got 3)");
    expect(remote.index).toBe(3);
    expect(remote.remoteStack).toContain("three is not allowed");
    expect(remote.remoteStack).toMatch(/failOn3/);
  });

  it("keeps custom error class names", async () => {
    const custom = () => {
      class ParseFailure extends Error {
        override name = "ParseFailure";
      }
      throw new ParseFailure("bad row");
    };
    await expect(pool.apply(custom)).rejects.toMatchObject({ remoteName: "ParseFailure", message: "bad row" });
  });

  it("with stopOnError: false runs every item and rejects with an AggregateError holding the rest", async () => {
    const oddFails = (x: number) => {
      if (x % 2 === 1) throw new Error(`odd ${x}`);
      return x * 10;
    };
    const error = await pool.map(oddFails, [0, 1, 2, 3, 4], { stopOnError: false, chunksize: 2 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AggregateError);
    expect(error).toBeInstanceOf(AggregateTaskError);
    const agg = error as AggregateTaskError<number>;
    expect(agg.errors.map((e) => [e.index, e.message])).toEqual([
      [1, "odd 1"],
      [3, "odd 3"],
    ]);
    expect(agg.results).toEqual([0, undefined, 20, undefined, 40]);
  });

  it("never throws synchronously: bad input rejects", async () => {
    const bad = [
      () => pool.map((x: number) => x, 42 as unknown as number[]),
      () => pool.map((x: number) => x, [1], { chunksize: 0 }),
      () => pool.map((x: number) => x, [1], -1),
      () => pool.map(null as unknown as (x: number) => number, [1]),
      () => pool.apply((x: number) => x, 3 as unknown as [number]),
    ];
    for (const call of bad) {
      let promise: Promise<unknown> | undefined;
      expect(() => (promise = call())).not.toThrow();
      await expect(promise).rejects.toBeInstanceOf(Error);
    }
  });

  it("refuses a function with free variables before dispatch, naming them", async () => {
    const secretFactor = 3;
    const usesOuter = (x: number) => x * secretFactor;
    const error = await pool.map(usesOuter, [1, 2]).then(
      () => undefined,
      (e: unknown) => e,
    );
    // Either shipped (the closure can be captured) or refused by name — never a ReferenceError from a worker.
    if (error === undefined) return;
    expect(error).toBeInstanceOf(NotShippableError);
    expect((error as Error).message).toContain("secretFactor");
  });

  it("an unresolvable free name fails before dispatch with its name", async () => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a function whose free name exists nowhere
    const fn = new Function("x", "return x + notDefinedAnywhere") as (x: number) => number;
    const error = await pool.map(fn, [1]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NotShippableError);
    expect((error as Error).message).toContain("notDefinedAnywhere");
  });
});

describe("a closed pool", () => {
  it("rejects new work with PoolClosedError", async () => {
    const p = new Pool(1);
    p.close();
    await expect(p.map((x: number) => x, [1])).rejects.toBeInstanceOf(PoolClosedError);
    await expect(p.apply(() => 1)).rejects.toBeInstanceOf(PoolClosedError);
    await expect(p.imap((x: number) => x, [1]).next()).rejects.toBeInstanceOf(PoolClosedError);
    await p.join();
  });
});

describe("shipping", () => {
  it("sends the function once per worker, never per item", async () => {
    const sent: { fn?: unknown }[] = [];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the right `this`
    const originalRun = Piscina.prototype.run;
    const spy = vi.spyOn(Piscina.prototype, "run").mockImplementation(function (this: Piscina, task: unknown, options?: Parameters<Piscina["run"]>[1]) {
      sent.push(task as { fn?: unknown });
      return originalRun.call(this, task, options);
    });
    try {
      await Pool.with(2, async (p) => {
        const items = Array.from({ length: 2000 }, (_, i) => i);
        await p.map((x: number) => x + 1, items, 1);
        await p.map((x: number) => x + 1, items, 1);
      });
    } finally {
      spy.mockRestore();
    }
    expect(sent.length).toBeGreaterThan(4);
    // Our load balancer fills in `fn` only for a worker that lacks it; it stays on the message object.
    expect(sent.filter((m) => m.fn !== undefined).length).toBeLessThanOrEqual(2);
  });
});
