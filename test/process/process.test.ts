import * as path from "node:path";
import { runInThisContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { EXIT_INTERRUPTED, EXIT_KILLED, EXIT_TERMINATED, NotShippableError, Process, ProcessStateError, RemoteError } from "../../src";
import { cells, release, stderrOf, whenSet, type WaitAsync } from "./helpers";

/** A target that says it runs (cell 0), then blocks on an Atomics gate (cell 1) until the test opens it. */
const gated = (a: Int32Array) => {
  Atomics.store(a, 0, 1);
  Atomics.notify(a, 0);
  Atomics.wait(a, 1, 0);
  a[2] = 7;
};

describe("Process lifecycle and exit codes", () => {
  it("runs its target once on a thread of its own: exit code 0, default name Process-N", async () => {
    const out = cells();
    const p = new Process({ target: (a: Int32Array, n: number) => void Atomics.store(a, 0, n * 2), args: [out, 21] });
    expect(p.name).toMatch(/^Process-\d+$/);
    expect([p.exitCode, p.isAlive(), p.threadId]).toEqual([null, false, null]);
    p.start();
    expect(p.isAlive()).toBe(true);
    expect(p.threadId).toBeGreaterThan(0);
    expect(p.ident).toBe(p.threadId);
    expect(await p.join()).toBe(0);
    expect([p.exitCode, p.isAlive(), p.error, out[0]]).toEqual([0, false, undefined, 42]);
    // Names count up.
    const q = new Process({ target: () => 0 });
    expect(Number(q.name.slice("Process-".length))).toBeGreaterThan(Number(p.name.slice("Process-".length)));
    expect(new Process({ target: () => 0, name: "loader" }).name).toBe("loader");
  });

  it("an uncaught error: exit code 1, printed to stderr, kept as a RemoteError", async () => {
    const p = new Process({
      target: function parse(text: string) {
        throw new TypeError(`cannot parse ${text}`);
      },
      args: ["abc"],
    });
    const printed = await stderrOf(async () => {
      p.start();
      expect(await p.join()).toBe(1);
    });
    expect(p.exitCode).toBe(1);
    expect(p.error).toBeInstanceOf(RemoteError);
    expect(p.error).toMatchObject({ remoteName: "TypeError", message: "cannot parse abc" });
    expect(p.error?.remoteStack).toMatch(/lanes-shipped\/parse/);
    expect(printed).toMatch(new RegExp(`Process ${p.name} \\(thread \\d+\\) failed:\\n(.|\\n)*TypeError: cannot parse abc`));
    // The module loader's frames are not part of the story.
    expect(p.error?.remoteStack).not.toMatch(/Module\._compile/);
  });

  it("an error thrown later, from a timer the target set, also ends it with exit code 1", async () => {
    const p = new Process({
      target: () => {
        setImmediate(() => {
          throw new RangeError("late");
        });
      },
    });
    const printed = await stderrOf(async () => {
      p.start();
      await p.join();
    });
    expect(p.exitCode).toBe(1);
    expect(p.error).toMatchObject({ remoteName: "RangeError", message: "late" });
    expect(printed).toMatch(/RangeError: late/);
  });

  it("process.exit(3) inside gives exit code 3, with no error", async () => {
    const p = new Process({ target: () => process.exit(3) });
    p.start();
    expect(await p.join()).toBe(3);
    expect(p.error).toBeUndefined();
  });

  it("terminate() ends a blocked thread with -15, kill() with -9", async () => {
    const a = cells();
    const b = cells();
    const p = new Process({ target: gated, args: [a] });
    const q = new Process({ target: gated, args: [b] });
    p.start();
    q.start();
    await Promise.all([whenSet(a, 0), whenSet(b, 0)]);
    expect(await p.terminate()).toBe(EXIT_TERMINATED);
    expect(await q.kill()).toBe(EXIT_KILLED);
    expect([p.exitCode, q.exitCode, p.isAlive(), q.isAlive()]).toEqual([-15, -9, false, false]);
    // The gate was never opened: they did not run on.
    expect([a[2], b[2]]).toEqual([0, 0]);
    // Ending an ended Process changes nothing.
    expect(await p.kill()).toBe(-15);
    expect([EXIT_TERMINATED, EXIT_KILLED, EXIT_INTERRUPTED]).toEqual([-15, -9, -2]);
  });

  it("join(timeout) on a blocked target resolves null and leaves it running; after the gate opens, join gives 0", async () => {
    const a = cells();
    const p = new Process({ target: gated, args: [a] });
    p.start();
    await whenSet(a, 0);
    expect(await p.join(20)).toBeNull();
    expect(await p.join(0)).toBeNull();
    expect([p.isAlive(), p.exitCode]).toEqual([true, null]);
    release(a, 1);
    expect(await p.join(60_000)).toBe(0);
    expect(a[2]).toBe(7);
    // Joined again after the exit: at once, same code.
    expect(await p.join(0)).toBe(0);
  });

  it("Process.active() lists the live Processes, like Python's active_children()", async () => {
    const a = cells();
    const p = new Process({ target: gated, args: [a] });
    expect(Process.active()).not.toContain(p);
    p.start();
    await whenSet(a, 0);
    expect(Process.active()).toContain(p);
    release(a, 1);
    await p.join();
    expect(Process.active()).not.toContain(p);
  });

  it("a second start() throws ProcessStateError, running or done; join/terminate before start reject", async () => {
    const p = new Process({ target: () => 1, name: "twice" });
    await expect(p.join()).rejects.toBeInstanceOf(ProcessStateError);
    await expect(p.terminate()).rejects.toThrow(/twice was never started/);
    p.start();
    expect(() => p.start()).toThrow(ProcessStateError);
    expect(() => p.start()).toThrow(/twice was already started \(it is running\)/);
    await p.join();
    expect(() => p.start()).toThrow(/done, exit code 0\).*Create a new Process/);
  });

  it("awaits an async target: it lives until the promise settles; a rejection gives exit code 1", async () => {
    const a = cells();
    const p = new Process({
      target: async (g: Int32Array) => {
        release(g, 0);
        const wait = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync(g, 1, 0);
        if (wait.async) await wait.value;
        g[2] = 9;
        function release(x: Int32Array, i: number): void {
          Atomics.store(x, i, 1);
          Atomics.notify(x, i);
        }
      },
      args: [a],
    });
    p.start();
    await whenSet(a, 0);
    expect(await p.join(10)).toBeNull();
    release(a, 1);
    expect(await p.join()).toBe(0);
    expect(a[2]).toBe(9);

    const r = new Process({ target: async () => Promise.reject(new SyntaxError("async no")) });
    await stderrOf(async () => {
      r.start();
      await r.join();
    });
    expect([r.exitCode, r.error?.remoteName]).toEqual([1, "SyntaxError"]);
  });

  it("rejects a missing target and non-array args at construction", () => {
    expect(() => new Process({} as never)).toThrow(/needs a target function/);
    expect(() => new Process({ target: () => 0, args: 5 as never })).toThrow(/args must be an array/);
  });
});

describe("what a Process's target and args can be", () => {
  it("notebook-style: closures over locals, helper functions, and a tslab cell's exports.NAME references", async () => {
    const k = 5;
    const helper = (x: number) => x * k;
    const out = cells();
    const closure = new Process({ target: (a: Int32Array) => void (a[0] = helper(3)), args: [out] });
    closure.start();
    expect(await closure.join()).toBe(0);
    expect(out[0]).toBe(15);

    // What tslab makes of `(a) => { a[1] = twice(k2) }` in a later cell: references to earlier
    // cells' top-level names become `exports.NAME`, their values live on __tslab__.exports.
    const g = globalThis as { __tslab__?: unknown };
    const before = g.__tslab__;
    g.__tslab__ = { exports: { k2: 4, twice: (x: number) => 2 * x }, require };
    try {
      const target = runInThisContext("(a) => { a[1] = exports.twice(exports.k2); }") as (a: Int32Array) => void;
      const cell = new Process({ target, args: [out] });
      cell.start();
      expect(await cell.join()).toBe(0);
    } finally {
      g.__tslab__ = before;
    }
    expect(out[1]).toBe(8);
  });

  it("module functions ({ module, name }), context values, and functions inside args", async () => {
    const out = cells();
    const mod = new Process({ target: { module: path.resolve(__dirname, "../ship/fixtures/scale.ts"), name: "scale" }, args: [3] });
    mod.start();
    expect(await mod.join()).toBe(0);

    const fn = runInThisContext("(a) => { a[0] = factor * 10; }") as (a: Int32Array) => void;
    const ctx = new Process({ target: fn, args: [out], context: { factor: 4 } });
    ctx.start();
    await ctx.join();
    const viaArgs = new Process({ target: (a: Int32Array, f: (x: number) => number) => void (a[1] = f(6)), args: [out, (x: number) => x + 1] });
    viaArgs.start();
    await viaArgs.join();
    expect([out[0], out[1]]).toEqual([40, 7]);
  });

  it("a SharedArrayBuffer in args arrives shared (both ways), plain data as a copy", async () => {
    const sab = new SharedArrayBuffer(16);
    const view = new Float64Array(sab);
    const flags = cells();
    const plain = { list: [1, 2, 3] };
    const p = new Process({
      target: (buffer: SharedArrayBuffer, doubles: Float64Array, f: Int32Array, data: { list: number[] }) => {
        const ints = new Int32Array(buffer);
        ints[0] = buffer instanceof SharedArrayBuffer ? 1 : -1;
        doubles[1] = 2.5;
        data.list.push(4);
        f[3] = data.list.length;
        // Wait for the kernel's write to the same memory: only shared memory can deliver it.
        Atomics.store(f, 0, 1);
        Atomics.notify(f, 0);
        Atomics.wait(f, 1, 0);
        f[2] = f[1]!;
      },
      args: [sab, view, flags, plain],
    });
    p.start();
    await whenSet(flags, 0);
    expect(new Int32Array(sab)[0]).toBe(1);
    expect(view[1]).toBe(2.5);
    release(flags, 1, 77);
    expect(await p.join()).toBe(0);
    expect(flags[2]).toBe(77);
    expect(flags[3]).toBe(4);
    expect(plain.list).toEqual([1, 2, 3]);
  });

  it("something that cannot cross fails at start(), before any thread starts", () => {
    const sock = { handle: Symbol("not cloneable") };
    const p = new Process({ target: (x: unknown) => x, args: [sock] });
    expect(() => p.start()).toThrow(NotShippableError);
    expect([p.isAlive(), p.threadId]).toEqual([false, null]);
  });
});
