import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { AbortError, BrokenPoolError, LanesError, NotShippableError, PoolClosedError, PoolTerminatedError, RemoteError, WorkerCrashedError } from "../../src/errors";
import { blockUntilReleased, newFlag, release, started } from "../helpers/handshake";
import { Pool } from "../../src/pool";
import type { Engine } from "../../src/pool/engine";

/** A name no scope defines: only an explicit context can give it a value. */
declare const lanesInitOnly: number;

/** The ids of this process's OS threads. */
function osThreads(): Set<string> {
  return new Set(readdirSync("/proc/self/task"));
}

describe("new Pool", () => {
  it("takes a number or options, processes defaults to cpuCount()", async () => {
    const a = new Pool(3);
    const b = new Pool();
    expect(a.processes).toBe(3);
    const { cpuCount } = await import("../../src/cpu-count");
    expect(b.processes).toBe(cpuCount());
    await Promise.all([a.terminate(), b.terminate()]);
  });

  it("refuses nonsense sizes", () => {
    expect(() => new Pool(0)).toThrow(RangeError);
    expect(() => new Pool({ maxTasksPerChild: 0 })).toThrow(RangeError);
  });
});

describe("initializer", () => {
  it("runs once per worker before its first task", async () => {
    const setUp = (tag: string) => {
      (globalThis as Record<string, unknown>).lanesTestTag = tag;
    };
    const readTag = () => (globalThis as Record<string, unknown>).lanesTestTag;
    await Pool.with({ processes: 2, initializer: setUp, initargs: ["ready"] }, async (pool) => {
      expect(await pool.map(readTag, [1, 2, 3, 4, 5, 6], 1)).toEqual(Array(6).fill("ready"));
    });
  });

  it("runs once per worker: counted through shared memory", async () => {
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const count = (c: Int32Array) => {
      Atomics.add(c, 0, 1);
    };
    await Pool.with({ processes: 2, initializer: count, initargs: [counter] }, async (pool) => {
      await pool.map((x: number) => x, Array.from({ length: 100 }, (_, i) => i), 1);
    });
    expect(Atomics.load(counter, 0)).toBeLessThanOrEqual(2);
    expect(Atomics.load(counter, 0)).toBeGreaterThanOrEqual(1);
  });

  it("initContext gives the initializer values by name, and feeds the initializer only", async () => {
    const setUp = () => {
      (globalThis as Record<string, unknown>).lanesTestLimit = lanesInitOnly;
    };
    const readLimit = () => (globalThis as Record<string, unknown>).lanesTestLimit;
    await Pool.with({ processes: 2, initializer: setUp, initContext: { lanesInitOnly: 7 } }, async (pool) => {
      expect(await pool.map(readLimit, [1, 2, 3, 4], 1)).toEqual([7, 7, 7, 7]);
      // A task's function does not see it: only the call's own `context` feeds a task.
      await expect(pool.apply(() => lanesInitOnly)).rejects.toBeInstanceOf(NotShippableError);
      expect(await pool.apply(() => lanesInitOnly, [], { context: { lanesInitOnly: 8 } })).toBe(8);
    });
  });

  it("a throwing initializer breaks the pool with a clear error, without respawning", async () => {
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const broken = (c: Int32Array) => {
      Atomics.add(c, 0, 1);
      throw new Error("no database here");
    };
    const pool = new Pool({ processes: 2, initializer: broken, initargs: [counter] });
    const error = await pool.map((x: number) => x, [1, 2, 3], 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BrokenPoolError);
    expect((error as Error).message).toContain("no database here");
    expect((error as Error).cause).toBeInstanceOf(RemoteError);
    // Later calls fail the same way, at once.
    await expect(pool.map((x: number) => x, [1])).rejects.toBeInstanceOf(BrokenPoolError);
    await pool.terminate();
    expect(Atomics.load(counter, 0)).toBeLessThanOrEqual(2);
  });
});

describe("maxTasksPerChild", () => {
  it("replaces a worker after that many tasks", async () => {
    const whoAmI = () => {
      const g = globalThis as Record<string, unknown>;
      g.lanesWorkerTag ??= Math.random();
      return g.lanesWorkerTag as number;
    };
    await Pool.with({ processes: 1, maxTasksPerChild: 2 }, async (pool) => {
      const tags = await pool.map(whoAmI, [0, 1, 2, 3, 4, 5], 1);
      // One worker at a time, two tasks each: three different workers, in runs of two.
      expect(new Set(tags).size).toBe(3);
      expect(tags[0]).toBe(tags[1]);
      expect(tags[2]).toBe(tags[3]);
      expect(tags[4]).toBe(tags[5]);
      expect(tags[1]).not.toBe(tags[2]);
    });
  });

  it("counts chunks as tasks, as Python does", async () => {
    const whoAmI = () => ((globalThis as Record<string, unknown>).lanesWorkerTag ??= Math.random()) as number;
    await Pool.with({ processes: 1, maxTasksPerChild: 1 }, async (pool) => {
      const tags = await pool.map(whoAmI, [0, 1, 2, 3, 4, 5], 3);
      expect(new Set(tags.slice(0, 3)).size).toBe(1);
      expect(new Set(tags.slice(3)).size).toBe(1);
      expect(tags[0]).not.toBe(tags[3]);
    });
  });

  it("forgets retired threads once they are gone (no record grows per recycled worker)", async () => {
    await Pool.with({ processes: 2, maxTasksPerChild: 1 }, async (pool) => {
      const whoAmI = () => ((globalThis as Record<string, unknown>).lanesWorkerTag ??= Math.random()) as number;
      const tags = await pool.map(whoAmI, Array.from({ length: 20 }, (_, i) => i), 1);
      expect(new Set(tags).size).toBe(20);
      const engine = (pool as unknown as { engine: Engine }).engine;
      await vi.waitFor(() => expect(engine.killedCount).toBe(0));
    });
  });

  it("shows up as new thread ids", async () => {
    await Pool.with({ processes: 1, maxTasksPerChild: 1 }, async (pool) => {
      const before = pool.threadIds;
      await pool.map((x: number) => x, [1, 2, 3], 1);
      await pool.map((x: number) => x, [1], 1);
      expect(pool.threadIds).not.toEqual(before);
    });
  });
});

describe("close, join, terminate", () => {
  it("join() waits for submitted work", async () => {
    const pool = new Pool(2);
    const flag = newFlag();
    const results = pool.map(blockUntilReleased, [flag]);
    await started(flag);
    pool.close();
    let joined = false;
    const join = pool.join().then(() => (joined = true));
    // The task is blocked until released: after a turn of the event loop (time enough for a join()
    // that does not wait to resolve), join() must still be waiting, whatever the machine's speed.
    await new Promise((resolve) => setImmediate(resolve));
    await expect(pool.apply(() => 1)).rejects.toBeInstanceOf(PoolClosedError);
    expect(joined).toBe(false);
    release(flag);
    await join;
    await expect(results).resolves.toEqual(["released"]);
    expect(pool.threadIds).toEqual([]);
  });

  it("join() before close() is an error", async () => {
    const pool = new Pool(1);
    await expect(pool.join()).rejects.toBeInstanceOf(LanesError);
    await pool.terminate();
  });

  it("terminate() rejects running calls with PoolTerminatedError and ends every worker thread", async () => {
    const warm = new Pool(2);
    await warm.map((x: number) => x, [1, 2]);
    await warm.terminate();
    const baseline = osThreads();

    const pool = new Pool(2);
    const flag = newFlag();
    const blocked = pool.map(blockUntilReleased, [flag]);
    await started(flag);
    const threads = pool.threadIds;
    expect(threads).toHaveLength(2);
    await pool.terminate();
    await expect(blocked).rejects.toBeInstanceOf(PoolTerminatedError);
    await expect(pool.map((x: number) => x, [1])).rejects.toBeInstanceOf(PoolClosedError);
    expect(pool.threadIds).toEqual([]);
    // No OS thread started since the baseline is left. (A count would not do: a thread of the warm pool
    // may still be on its way out at the baseline, and its exit would hide a leaked one.)
    expect([...osThreads()].filter((tid) => !baseline.has(tid))).toEqual([]);
  });

  it("Pool.with terminates on exit, also when the body throws", async () => {
    let inside: Pool | undefined;
    await expect(
      Pool.with(1, async (pool) => {
        inside = pool;
        await pool.apply(() => 1);
        throw new Error("body failed");
      }),
    ).rejects.toThrow("body failed");
    await expect(inside!.apply(() => 1)).rejects.toBeInstanceOf(PoolClosedError);
    expect(inside!.threadIds).toEqual([]);
    await expect(Pool.with(1, (pool) => pool.apply((a: number) => a + 1, [1]))).resolves.toBe(2);
  });

  it("Symbol.asyncDispose terminates", async () => {
    const pool = new Pool(1);
    await pool[Symbol.asyncDispose]();
    await expect(pool.apply(() => 1)).rejects.toBeInstanceOf(PoolClosedError);
  });
});

describe("signal and crashes", () => {
  it("an aborted signal rejects the call and frees its worker; the pool goes on", async () => {
    await Pool.with(2, async (pool) => {
      const flag = newFlag();
      const controller = new AbortController();
      const call = pool.map(blockUntilReleased, [flag], { signal: controller.signal });
      await started(flag);
      controller.abort(new Error("user pressed stop"));
      await expect(call).rejects.toBeInstanceOf(AbortError);
      await expect(call).rejects.toThrow("user pressed stop");
      await expect(pool.map((x: number) => x * 2, [1, 2, 3])).resolves.toEqual([2, 4, 6]);
    });
  });

  it("a signal aborted before the call rejects at once", async () => {
    await Pool.with(1, async (pool) => {
      await expect(pool.map((x: number) => x, [1], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    });
  });

  it("a worker that dies fails the call with WorkerCrashedError; the pool goes on", async () => {
    await Pool.with(2, async (pool) => {
      const die = () => process.exit(3);
      await expect(pool.apply(die)).rejects.toBeInstanceOf(WorkerCrashedError);
      await expect(pool.map((x: number) => x + 1, [1, 2])).resolves.toEqual([2, 3]);
    });
  });
});

describe("idle workers", () => {
  it("exit after idleTimeout and come back when work comes", async () => {
    await Pool.with({ processes: 2, idleTimeout: 1 }, async (pool) => {
      await expect(pool.map((x: number) => x + 1, [1, 2, 3, 4], 1)).resolves.toEqual([2, 3, 4, 5]);
      await vi.waitFor(() => expect(pool.threadIds).toEqual([]), { timeout: 10_000, interval: 10 });
      await expect(pool.map((x: number) => x * 2, [1, 2])).resolves.toEqual([2, 4]);
    });
  });

  it("do not keep Node from exiting when the pool is never terminated", () => {
    const script = `
      const { Pool } = require(${JSON.stringify(join(__dirname, "..", "..", "dist", "pool"))});
      (async () => {
        const pool = new Pool(2);
        console.log(JSON.stringify(await pool.map((x) => x + 1, [1, 2, 3])));
      })();`;
    const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 20_000 });
    expect(result.signal).toBeNull();
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe("[2,3,4]");
  });
});

describe("terminate after close", () => {
  it("stops running work even while join() waits for it", async () => {
    const pool = new Pool(1);
    const flag = newFlag();
    const blocked = pool.map(blockUntilReleased, [flag]);
    await started(flag);
    pool.close();
    const joined = pool.join();
    await pool.terminate();
    await expect(blocked).rejects.toBeInstanceOf(PoolTerminatedError);
    await expect(joined).resolves.toBeUndefined();
    expect(pool.threadIds).toEqual([]);
  });
});
