import { existsSync } from "node:fs";
import * as path from "node:path";
import { runInThisContext } from "node:vm";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shipFunction, type ShipOptions, type TaskFunction } from "../../src/ship";

// Runs against the built package (`npm run build`), like the pool does.
const DIST = path.resolve(__dirname, "../../dist/ship/index.js");
const FIXTURES = path.resolve(__dirname, "fixtures");
let worker: Worker;

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error("dist/ship is missing: run `npm run build` first");
  worker = new Worker(path.join(FIXTURES, "run-shipped.js"));
});
afterAll(async () => {
  await worker.terminate();
});

function inWorker(fn: TaskFunction, args: unknown[] = [], options?: ShipOptions): Promise<unknown> {
  const payload = shipFunction(fn, options);
  return new Promise((resolve, reject) => {
    worker.once("message", (m: { ok?: unknown; err?: string }) => (m.err ? reject(new Error(m.err)) : resolve(m.ok)));
    worker.postMessage({ payload, args });
  });
}

class Vec {
  constructor(public x: number, public y: number) {}
  len(): number {
    return Math.hypot(this.x, this.y);
  }
}
class Vec3 extends Vec {
  constructor(x: number, y: number, public z: number) {
    super(x, y);
  }
  override len(): number {
    return Math.hypot(super.len(), this.z);
  }
}

describe("shipped functions in a real worker thread", () => {
  it("rebuilds closures, recursion and plain data", async () => {
    const rows = [{ a: 1 }, { a: 2 }];
    const lookup = new Map([["k", new Set([1, 2])]]);
    const when = new Date(86_400_000);
    const bytes = new Float64Array([0.5, 1.5]);
    const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
    const f = (i: number) => [rows[i]?.a, lookup.get("k")?.size, when.getUTCDate(), bytes[1], fib(10)];
    expect(await inWorker(f, [1])).toEqual([2, 2, 2, 1.5, 55]);
  });

  it("ships class instances with their class (and its base class)", async () => {
    const v = new Vec3(2, 3, 6);
    expect(await inWorker(() => [v instanceof Vec3, v instanceof Vec, v.len()])).toEqual([true, true, 7]);
  });

  it("keeps shared references and cycles", async () => {
    const shared = { n: 1 };
    const ring: { next?: unknown; label: string; fn?: () => number } = { label: "r", fn: () => 42 };
    ring.next = ring;
    const pair = [shared, shared];
    expect(await inWorker(() => [pair[0] === pair[1], ring.next === ring, ring.fn?.()])).toEqual([true, true, 42]);
  });

  it("shares SharedArrayBuffer memory instead of copying it", async () => {
    const counts = new Int32Array(new SharedArrayBuffer(8));
    await inWorker((i: number) => Atomics.add(counts, i, 5), [1]);
    expect(counts[1]).toBe(5);
  });

  it("runs { module, name } refs, JavaScript and TypeScript (with local imports)", async () => {
    const js = path.join(FIXTURES, "tasks.js");
    expect(await inWorker({ module: js, name: "transform" }, [4])).toEqual({ doubled: 8, pid: "number" });
    const ts = path.join(FIXTURES, "tasks-ts.ts");
    expect(await inWorker({ module: ts, name: "transform" }, [4])).toBe(13);
  });

  it("uses context values for names it cannot find otherwise", async () => {
    const fn = runInThisContext("(x) => x * scale") as TaskFunction;
    expect(await inWorker(fn, [2], { context: { scale: 21 } })).toBe(42);
  });

  it("reports worker-side errors with the function's name in the stack", async () => {
    const boom = (x: number) => {
      if (x > 0) throw new RangeError("too big");
      return x;
    };
    await expect(inWorker(boom, [1])).rejects.toThrow(/too big[\s\S]*lanes-shipped\/boom/);
  });
});
