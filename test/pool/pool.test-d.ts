import { describe, expectTypeOf, it } from "vitest";
import type { AggregateTaskError, KeyboardInterrupt, TaskError } from "../../src/errors";
import { Pool } from "../../src/pool";

declare const pool: Pool;

describe("Pool types", () => {
  it("map infers item and result types", () => {
    expectTypeOf(pool.map((x: number) => x * 2, [1, 2])).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(pool.map((s: string) => s.length, new Set(["a"]))).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(pool.map((x: number) => String(x), new Float64Array(2))).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(pool.map((x) => x.toFixed(2), [1.5])).toEqualTypeOf<Promise<string[]>>();
  });

  it("map unwraps async results", () => {
    expectTypeOf(pool.map(async (x: number) => ({ x }), [1])).toEqualTypeOf<Promise<{ x: number }[]>>();
    expectTypeOf(pool.map((x: number): Promise<string> | number => (x > 0 ? Promise.resolve("p") : 1), [1])).toEqualTypeOf<Promise<(string | number)[]>>();
  });

  it("map checks items against the function's parameter", () => {
    // @ts-expect-error strings are not numbers
    void pool.map((x: number) => x, ["a"]);
    // @ts-expect-error a number is not iterable
    void pool.map((x: number) => x, 3);
  });

  it("takes chunksize or options", () => {
    void pool.map((x: number) => x, [1], 10);
    void pool.map((x: number) => x, [1], { chunksize: 10, signal: AbortSignal.timeout(1), stopOnError: false });
    void pool.map((x: number) => x, [1], { timeout: 1_000 });
    void pool.apply((x: number) => x, [1], { timeout: 1_000 });
    void pool.imap((x: number) => x, [1], { timeout: 1_000 });
    void new Pool({ processes: 2, timeout: 60_000, resourceLimits: { maxOldGenerationSizeMb: 256 } });
    // @ts-expect-error no such option
    void pool.map((x: number) => x, [1], { chunkSize: 10 });
  });

  it("module functions give unknown unless told", () => {
    expectTypeOf(pool.map({ module: "./tasks.ts", name: "f" }, [1])).toEqualTypeOf<Promise<unknown[]>>();
    expectTypeOf(pool.map<number>({ module: "./tasks.ts", name: "f" }, [1])).toEqualTypeOf<Promise<number[]>>();
  });

  it("imap and imapUnordered are async iterables of results", () => {
    expectTypeOf(pool.imap((x: number) => `${x}`, [1])).toEqualTypeOf<AsyncIterableIterator<string>>();
    expectTypeOf(pool.imapUnordered(async (x: number) => x, [1])).toEqualTypeOf<AsyncIterableIterator<number>>();
    async function* gen(): AsyncGenerator<string> {
      yield "a";
    }
    expectTypeOf(pool.imap((s: string) => s.length, gen())).toEqualTypeOf<AsyncIterableIterator<number>>();
  });

  it("starmap and apply infer from the parameter list", () => {
    expectTypeOf(pool.starmap((a: number, b: string) => b.repeat(a), [[1, "x"]])).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(pool.apply((a: number, b: number) => a + b, [1, 2])).toEqualTypeOf<Promise<number>>();
    expectTypeOf(pool.apply(async () => true)).toEqualTypeOf<Promise<boolean>>();
    // @ts-expect-error wrong argument types
    void pool.apply((a: number, b: number) => a + b, [1, "2"]);
    // @ts-expect-error tuples must match the parameters
    void pool.starmap((a: number, b: string) => a + b, [["x", 1]]);
  });

  it("Pool.with passes the body's result through", () => {
    expectTypeOf(Pool.with(2, async (p) => p.processes)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(Pool.with({ processes: 2 }, (p) => p.map((x: number) => x, [1]))).toEqualTypeOf<Promise<number[]>>();
  });

  it("errors carry typed results", () => {
    expectTypeOf<AggregateTaskError<number>["results"]>().toEqualTypeOf<(number | undefined)[]>();
    expectTypeOf<AggregateTaskError["errors"]>().toEqualTypeOf<TaskError[]>();
    expectTypeOf<KeyboardInterrupt<number>["results"]>().toEqualTypeOf<(number | undefined)[]>();
    expectTypeOf<TaskError["index"]>().toEqualTypeOf<number | undefined>();
  });
});
