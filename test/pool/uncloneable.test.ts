import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AggregateTaskError, RemoteError, UncloneableResultError } from "../../src/errors";
import { Pool } from "../../src/pool";
import { findUncloneable } from "../../src/pool/uncloneable";

let pool: Pool;
beforeAll(() => {
  pool = new Pool(2);
});
afterAll(() => pool.terminate());

describe("findUncloneable", () => {
  it("names what structured clone refuses and where, and passes what it copies", () => {
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    for (const ok of [1, "s", null, [1, { a: new Date(0) }], new Map([[1, new Set([2n])]]), new Float64Array(2), cyclic, new RangeError("r"), /x/g]) {
      expect(findUncloneable(ok)).toBeUndefined();
    }
    function onData(): void {}
    expect(findUncloneable({ handlers: [onData] })).toBe("a function (onData) at handlers[0]");
    expect(findUncloneable([Symbol("s")])).toBe("a symbol (Symbol(s)) at [0]");
    expect(findUncloneable({ p: Promise.resolve(1) })).toBe("a Promise at p");
    expect(findUncloneable(new Map([["k", () => 1]]))).toBe("a function at <value 0>");
    class Pt {
      constructor(public x: number) {}
    }
    expect(findUncloneable(new Pt(1))).toBeUndefined();
  });
});

describe("a task that returns what cannot be copied back", () => {
  it("fails that item with UncloneableResultError naming the type, and the worker lives on", async () => {
    const before = [...pool.threadIds].sort();
    const error: unknown = await pool.map(() => () => 1, [1]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncloneableResultError);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as UncloneableResultError).index).toBe(0);
    expect((error as Error).message).toMatch(/returned a function, which cannot be copied back/);
    await expect(pool.apply(() => Symbol("s"))).rejects.toThrow(/returned a symbol \(Symbol\(s\)\)/);
    await expect(pool.apply(async () => ({ ok: 1, later: Promise.resolve(2) }))).rejects.toThrow(/a Promise at later/);
    expect([...pool.threadIds].sort()).toEqual(before);
    await expect(pool.map((x: number) => x * 2, [1, 2, 3])).resolves.toEqual([2, 4, 6]);
  });

  it("with stopOnError: false the other results arrive, sync and async alike", async () => {
    const tasks: ((x: number) => unknown)[] = [(x) => (x === 2 ? { cb: () => x } : x), async (x) => (x === 2 ? { cb: () => x } : x)];
    for (const task of tasks) {
      const error: unknown = await pool.map(task, [0, 1, 2, 3], { chunksize: 4, stopOnError: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AggregateTaskError);
      const agg = error as AggregateTaskError;
      expect(agg.results).toEqual([0, 1, undefined, 3]);
      expect(agg.errors).toHaveLength(1);
      expect(agg.errors[0]).toBeInstanceOf(UncloneableResultError);
      expect(agg.errors[0]!.index).toBe(2);
      expect(agg.errors[0]!.message).toMatch(/a function \(cb\) at cb/);
    }
  });
});
