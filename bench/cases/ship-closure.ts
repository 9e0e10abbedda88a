import * as path from "node:path";
import { runInThisContext } from "node:vm";
import { loadShippedFunction, shipFunction, type TaskFunction } from "../../src/ship";
import { defineCase } from "../lib/case";
import { startLanes } from "../lib/lanes";

/**
 * 20 notebook names of mixed kinds, as earlier cells would leave them in tslab's cell exports: data
 * (arrays, objects, Map, Set, Date, typed array, bigint), functions (one calling another, one
 * recursive) and a module.
 */
function notebookCells(): Record<string, unknown> {
  const a0 = Array.from({ length: 1000 }, (_, i) => i);
  const a1 = { k: 1, nested: { list: [1, 2, 3] } };
  const a9 = (v: number): number => v * 2;
  const a19 = (v: number): number => (v <= 0 ? 0 : a19(v - 1));
  return {
    a0, a1, a2: new Map([["x", 1]]), a3: new Date(0), a4: new Float64Array(1000), a5: "label", a6: 42,
    a7: [{ id: 1 }, { id: 2 }], a8: new Set([1, 2]), a9, a10: (v: number) => a9(v) + 1, a11: path,
    a12: { deep: a1 }, a13: 1n, a14: null, a15: true, a16: [a0], a17: "x".repeat(100), a18: { when: new Date(1) }, a19,
  };
}

/** What tslab compiles a cell's `(x) => …` to: earlier cells' names read as `exports.NAME`. */
const NOTEBOOK_SOURCE = `(x) => [${Array.from({ length: 20 }, (_, i) => `exports.a${i}`).join(", ")}].length + exports.a9(x) + exports.a10(x) + exports.a19(3) + exports.a6 + exports.a11.basename("/a/b").length`;
const compile = (): ((x: number) => number) => runInThisContext(NOTEBOOK_SOURCE) as (x: number) => number;

/** 20 primitives read through the inspector from the enclosing function (the closure path). */
function closureOf20(): TaskFunction {
  const c0 = 0, c1 = 1, c2 = 2, c3 = 3, c4 = 4, c5 = 5, c6 = 6, c7 = 7, c8 = 8, c9 = 9;
  const c10 = 10, c11 = 11, c12 = 12, c13 = 13, c14 = 14, c15 = 15, c16 = 16, c17 = 17, c18 = 18, c19 = 19;
  return (x: number) => x + c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15 + c16 + c17 + c18 + c19;
}

export default defineCase({
  title: "Shipping a notebook-style closure with 20 captured names",
  unit: "op",
  order: 70,
  plan(ctx) {
    const cells = notebookCells();
    (globalThis as { __tslab__?: unknown }).__tslab__ = { exports: cells, require };
    const contextFn = runInThisContext(`(x) => x + ${Array.from({ length: 20 }, (_, i) => `k${i}`).join(" + ")}`) as TaskFunction;
    const context = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
    const expected = (x: number): number => 20 + x * 2 + x * 2 + 1 + 0 + (cells.a6 as number) + 1;
    const subject = "lanes apply, 20 notebook names, one changed since the last call";
    const part = (name: string, make: () => () => unknown, inner = 1) => ({ name, peer: "lanes" as const, vs: name, inner, prepare: () => ({ run: make() }) });
    let version = 0;
    let seed = 0;
    return {
      items: 1,
      subject,
      runs: ctx.size(21, 1),
      notes: [
        "The function is compiled the way tslab compiles a cell (earlier cells' names read as `exports.NAME`) and the cell exports hold 20 names: data (1000-item arrays, Map, Set, Date, typed array, bigint), functions (one calling another, one recursive) and a module (node:path).",
        "Changing one captured value gives the payload a new id: the kernel ships it again and each worker rebuilds it, as when a notebook user edits a data cell and maps again.",
        "Rows with no ratio are the parts of that cost: ship (kernel side, once per call) and rebuild (worker side, once per worker per payload).",
        "piscina and workerpool cannot ship a closure at all (workerpool sends a function's text without what it refers to; piscina takes a file name).",
      ],
      check(out, runner) {
        if (runner.startsWith("lanes apply, 20") && out !== expected(1)) throw new Error(`wrong result: ${String(out)}, expected ${expected(1)}`);
      },
      runners: [
        {
          name: subject,
          peer: "lanes" as const,
          async prepare() {
            const pool = await startLanes(ctx);
            const fn = compile();
            return {
              run: () => {
                cells.a6 = 42 + (version++ % 2);
                return pool.apply(fn, [1]);
              },
              close: () => pool.terminate(),
            };
          },
        },
        {
          name: "lanes apply, 20 notebook names, unchanged",
          peer: "lanes" as const,
          async prepare() {
            const pool = await startLanes(ctx);
            const fn = compile();
            return { run: () => pool.apply(fn, [1]), close: () => pool.terminate() };
          },
        },
        {
          name: "lanes apply, self-contained function",
          peer: "lanes" as const,
          async prepare() {
            const pool = await startLanes(ctx);
            return { run: () => pool.apply((x: number) => x + 1, [1]), close: () => pool.terminate() };
          },
        },
        part("shipFunction, 20 notebook names, new function (parse + capture)", () => () => shipFunction(compile())),
        part("shipFunction, 20 closure names via the inspector, new closure", () => () => shipFunction(closureOf20())),
        part("shipFunction, 20 names via context, new values", () => () => shipFunction(contextFn, { context: { ...context, k0: seed++ } })),
        (() => {
          const fn = compile();
          return part("shipFunction, unchanged (cache hit)", () => () => shipFunction(fn), ctx.size(20, 1));
        })(),
        part(
          "loadShippedFunction: rebuild in a worker (cold)",
          () => {
            const payload = shipFunction(compile());
            // loadShippedFunction always rebuilds (the worker entry's cache sits in front of it).
            return () => loadShippedFunction(payload);
          },
          ctx.size(20, 1),
        ),
      ],
    };
  },
});
