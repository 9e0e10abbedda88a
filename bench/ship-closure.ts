/**
 * Cost of shipping a function with 20 captured names (issue 4, point 9), kernel side (`shipFunction`,
 * once per map call) and worker side (`loadShippedFunction`, once per worker per payload id).
 *
 *   npm run build && node bench/pool-run.mjs bench/ship-closure.ts
 *
 * Prints a table; asserts nothing.
 */
import * as path from "node:path";
import { runInThisContext } from "node:vm";
import { loadShippedFunction, shipFunction, type TaskFunction } from "../src/ship";

const RUNS = 300;

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return `median ${at(0.5).toFixed(3)} ms, p95 ${at(0.95).toFixed(3)} ms`;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** 20 primitives, read by the inspector from the enclosing function (the closure path). */
function closureOf20(): TaskFunction {
  const c0 = 0, c1 = 1, c2 = 2, c3 = 3, c4 = 4, c5 = 5, c6 = 6, c7 = 7, c8 = 8, c9 = 9;
  const c10 = 10, c11 = 11, c12 = 12, c13 = 13, c14 = 14, c15 = 15, c16 = 16, c17 = 17, c18 = 18, c19 = 19;
  return (x: number) => x + c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15 + c16 + c17 + c18 + c19;
}

/** 20 names of mixed kinds: data (arrays, objects, Map, Date, typed array), functions, a module. */
function mixedOf20(): TaskFunction {
  const a0 = Array.from({ length: 1000 }, (_, i) => i), a1 = { k: 1, nested: { list: [1, 2, 3] } }, a2 = new Map([["x", 1]]);
  const a3 = new Date(0), a4 = new Float64Array(1000), a5 = "label", a6 = 42, a7 = [{ id: 1 }, { id: 2 }], a8 = new Set([1, 2]);
  // eslint-disable-next-line @typescript-eslint/unbound-method -- a plain module function, found by identity
  const a9 = (v: number) => v * 2, a10 = (v: number) => a9(v) + 1, a11 = path, a12 = path.basename, a13 = { deep: a1 };
  const a14 = 1n, a15 = null, a16 = undefined, a17 = true, a18 = [a0, a7], a19 = (v: number): number => (v <= 0 ? 0 : a19(v - 1));
  return (x: number) =>
    [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9(x), a10(x), a11.sep, a12("/a/b"), a13, a14, a15, a16, a17, a18, a19(3)].length + x;
}

// Compiled outside this module so its 20 names are free and only `context` can supply them.
const contextFn = runInThisContext(`(x) => x + ${Array.from({ length: 20 }, (_, i) => `k${i}`).join(" + ")}`) as TaskFunction;
const context = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
const rows = Array.from({ length: 200_000 }, (_, i) => ({ i, v: i * 2 }));

const cases: [string, () => TaskFunction, Record<string, unknown> | undefined][] = [
  ["20 primitives via context", () => contextFn, context],
  ["20 primitives via closure (inspector)", closureOf20, undefined],
  ["20 mixed names (data, functions, module)", mixedOf20, undefined],
  ["1 name: 200 000 rows {i, v}", () => (i: number) => rows[i]?.v, undefined],
];

console.log("| case | first ship (cold parse) | ship, unchanged (cache hit) | rebuild in worker (cold) | payload bytes |");
console.log("|---|---|---|---|---|");
for (const [label, make, ctx] of cases) {
  const fn = make();
  const opts = ctx ? { context: ctx } : undefined;
  const first = time(() => shipFunction(fn, opts));
  const runs = label.includes("200 000") ? 10 : RUNS;
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push(time(() => shipFunction(fn, opts)));
  const payload = shipFunction(fn, opts);
  const rebuild: number[] = [];
  for (let i = 0; i < Math.min(runs, 50); i++) {
    // A fresh id each time defeats the worker cache: this measures a real rebuild.
    const copy = { ...structuredClone(payload), id: `${payload.id}:${i}` };
    rebuild.push(time(() => loadShippedFunction(copy)));
  }
  const bytes = (payload.data?.byteLength ?? 0) + JSON.stringify(payload.nodes, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)).length;
  console.log(`| ${label} | ${first.toFixed(2)} ms | ${stats(warm)} | ${stats(rebuild)} | ${bytes} |`);
}
