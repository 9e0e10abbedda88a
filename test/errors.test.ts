/**
 * Every error a user can meet, each from the real thing that gives it (worker threads, a real
 * `terminate()`, a real abort), and each told apart from the others by its class alone.
 * SIGINT's `KeyboardInterrupt` needs a real signal: test/pool/signals.test.ts sends it to a child process.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import * as errors from "../src/errors";
import {
  AbortError,
  AggregateTaskError,
  FunctionLoadError,
  InternalError,
  KeyboardInterrupt,
  LanesError,
  PoolClosedError,
  PoolTerminatedError,
  RemoteError,
  WorkerCrashedError,
} from "../src/errors";
import { Pool } from "../src/pool";
import type { BatchOwner, Engine } from "../src/pool/engine";
import { registerTransferHandler, shipFunction, transferHandlers } from "../src/ship";

/** A task that reports it started (flag[0] = 1) and then blocks its worker until flag[1] is set. */
function blockUntilReleased(flag: Int32Array): string {
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  Atomics.wait(flag, 1, 0);
  return "released";
}

async function started(flag: Int32Array): Promise<void> {
  // Atomics.waitAsync is in Node 20, not yet in this project's TypeScript lib.
  const atomics = Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } };
  const { async, value } = atomics.waitAsync(flag, 0, 0);
  if (async) await value;
}

function release(flag: Int32Array, index: number): void {
  Atomics.store(flag, index, 1);
  Atomics.notify(flag, index);
}

function newFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(8));
}

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the call to reject");
    },
    (e: unknown) => e,
  );
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Every error class errors.ts exports. */
const classes = Object.entries(errors).filter(([, value]) => typeof value === "function") as [string, new (...args: unknown[]) => Error][];

describe("the error classes", () => {
  it("every one is a LanesError named after its class", () => {
    const names = classes.map(([name]) => name);
    for (const name of ["LanesError", "PoolClosedError", "PoolTerminatedError", "KeyboardInterrupt", "AbortError", "RemoteError", "AggregateTaskError", "FunctionLoadError", "InternalError", "WorkerCrashedError", "BrokenPoolError", "NotShippableError"]) {
      expect(names).toContain(name);
    }
    for (const [name, Class] of classes) {
      const args: Record<string, unknown[]> = {
        RemoteError: [{ name: "TypeError", message: "m" }, 3],
        AggregateTaskError: [[], []],
        FunctionLoadError: ["m", { functionName: "f", threadId: 1 }],
      };
      const error = new Class(...(args[name] ?? ["m"]));
      expect(error, name).toBeInstanceOf(LanesError);
      expect(error, name).toBeInstanceOf(Error);
      expect(error.name, name).toBe(name);
    }
  });

  it("LanesError's instanceof recognises no foreign error, and a subclass's instanceof stays its own", () => {
    expect(new Error("x")).not.toBeInstanceOf(LanesError);
    expect(new AggregateError([], "x")).not.toBeInstanceOf(LanesError);
    expect(new TypeError("x")).not.toBeInstanceOf(LanesError);
    expect(null).not.toBeInstanceOf(LanesError);
    expect({ name: "LanesError" }).not.toBeInstanceOf(LanesError);
    const aggregate = new AggregateTaskError([], []);
    expect(aggregate).not.toBeInstanceOf(RemoteError);
    expect(aggregate).not.toBeInstanceOf(PoolClosedError);
    expect(new RemoteError({ name: "Error", message: "m" })).not.toBeInstanceOf(AggregateTaskError);
    expect(new PoolTerminatedError("m")).toBeInstanceOf(PoolClosedError);
    expect(new PoolClosedError("m")).not.toBeInstanceOf(PoolTerminatedError);
    for (const Other of [AbortError, KeyboardInterrupt, WorkerCrashedError, InternalError, FunctionLoadError]) {
      expect(new PoolTerminatedError("m")).not.toBeInstanceOf(Other);
    }
    // A subclass of AggregateTaskError keeps the brand.
    class Mine extends AggregateTaskError {}
    expect(new Mine([], [])).toBeInstanceOf(LanesError);
  });

  it("instanceof recognises the same error class of another copy of Lanes (a worker bundle, tslab's own copy)", async () => {
    vi.resetModules();
    const other = await import("../src/errors");
    expect(other.Empty).not.toBe(errors.Empty);
    expect(new other.Empty("m")).toBeInstanceOf(errors.Empty);
    expect(new other.Empty("m")).toBeInstanceOf(LanesError);
    expect(new other.Empty("m")).not.toBeInstanceOf(errors.Full);
    expect(new other.PoolTerminatedError("m")).toBeInstanceOf(PoolClosedError);
    expect(new other.PoolClosedError("m")).not.toBeInstanceOf(PoolTerminatedError);
    expect(new other.RemoteError({ name: "TypeError", message: "m" })).toBeInstanceOf(RemoteError);
    expect(new other.AggregateTaskError([], [])).toBeInstanceOf(AggregateTaskError);
    expect(new other.AggregateTaskError([], [])).toBeInstanceOf(LanesError);
    expect(new AggregateTaskError([], [])).toBeInstanceOf(other.AggregateTaskError);
    expect(new Error("m")).not.toBeInstanceOf(other.LanesError);
  });

  it("instanceof LanesError narrows the type in TypeScript", () => {
    const caught: unknown = new AggregateTaskError([], [1]);
    if (!(caught instanceof LanesError)) throw new Error("expected a LanesError");
    const message: string = caught.message;
    expect(message).toContain("0 of 1 items failed");
  });
});

describe("a task that throws: RemoteError, and AggregateTaskError with stopOnError: false", () => {
  const failSome = (x: number) => {
    if (x % 4 === 0) throw new RangeError(`bad ${x}`);
    return x * 10;
  };

  it("AggregateTaskError is a LanesError and an AggregateError, with name, errors and results", async () => {
    await Pool.with(2, async (pool) => {
      const error = await rejection(pool.map(failSome, range(10), { chunksize: 1, stopOnError: false }));
      expect(error).toBeInstanceOf(AggregateTaskError);
      expect(error).toBeInstanceOf(AggregateError);
      expect(error).toBeInstanceOf(LanesError);
      expect(error).toBeInstanceOf(Error);
      const agg = error as AggregateTaskError<number>;
      expect(agg.name).toBe("AggregateTaskError");
      expect(agg.message).toBe("3 of 10 items failed (input indexes 0, 4, 8); see .errors, and .results for the others");
      expect(agg.errors.map((e) => e.index)).toEqual([0, 4, 8]);
      for (const e of agg.errors) {
        expect(e).toBeInstanceOf(RemoteError);
        expect(e).toBeInstanceOf(LanesError);
        expect((e as RemoteError).remoteName).toBe("RangeError");
      }
      expect(agg.results).toEqual([undefined, 10, 20, 30, undefined, 50, 60, 70, undefined, 90]);
    });
  });

  it("a long list of failed indexes is cut short in the message, never in .errors", async () => {
    await Pool.with(2, async (pool) => {
      const agg = (await rejection(pool.map(failSome, range(100), { stopOnError: false }))) as AggregateTaskError;
      expect(agg.errors).toHaveLength(25);
      expect(agg.message).toBe("25 of 100 items failed (input indexes 0, 4, 8, 12, 16, 20, 24, 28, 32, 36, … and 15 more); see .errors, and .results for the others");
    });
  });

  it("the first failure with stopOnError: true is a RemoteError, not a load or crash error", async () => {
    await Pool.with(1, async (pool) => {
      const error = await rejection(pool.map(failSome, [1, 2, 4, 5], 1));
      expect(error).toBeInstanceOf(RemoteError);
      expect(error).not.toBeInstanceOf(FunctionLoadError);
      expect(error).not.toBeInstanceOf(WorkerCrashedError);
      expect(error).toMatchObject({ remoteName: "RangeError", index: 2, message: "bad 4" });
    });
  });
});

describe("imapUnordered with stopOnError: false", () => {
  it("counts every item in the total and lists the failed indexes in input order, whatever order they failed in", async () => {
    // Item 1 fails last, on purpose: its worker holds it until the loop has seen every other success,
    // so item 98's failure has been taken first (it travels in one chunk with item 99, a success).
    const gate = new Int32Array(new SharedArrayBuffer(4));
    const task = (x: number) => {
      if (x === 1) {
        Atomics.wait(gate, 0, 0);
        throw new RangeError("one");
      }
      if (x === 98) throw new RangeError("ninety-eight");
      return x;
    };
    const pool = new Pool(2);
    try {
      let yielded = 0;
      const error = await rejection(
        (async () => {
          for await (const r of pool.imapUnordered(task, range(100), { chunksize: 2, stopOnError: false, context: { gate } })) {
            expect(r).not.toBe(1);
            yielded++;
            // Every success but item 0, which shares item 1's chunk and comes back with it.
            if (yielded === 97) release(gate, 0);
          }
        })(),
      );
      expect(yielded).toBe(98);
      expect(error).toBeInstanceOf(AggregateTaskError);
      expect(error).toBeInstanceOf(LanesError);
      const agg = error as AggregateTaskError;
      expect(agg.message).toBe("2 of 100 items failed (input indexes 1, 98); see .errors");
      expect(agg.errors.map((e) => e.index)).toEqual([1, 98]);
      expect(agg.results).toEqual([]);
    } finally {
      release(gate, 0);
      await pool.terminate();
    }
  });
});

describe("cancellation: the class says who stopped the call", () => {
  it("the call's own signal gives AbortError, and nothing else does", async () => {
    await Pool.with(2, async (pool) => {
      const flag = newFlag();
      const controller = new AbortController();
      const call = pool.map(blockUntilReleased, [flag], { signal: controller.signal });
      await started(flag);
      controller.abort(new Error("stop button"));
      const error = await rejection(call);
      expect(error).toBeInstanceOf(AbortError);
      expect(error).toBeInstanceOf(LanesError);
      expect(error).not.toBeInstanceOf(PoolClosedError);
      expect(error).not.toBeInstanceOf(KeyboardInterrupt);
      expect(error).toMatchObject({ name: "AbortError", message: "The call was aborted through its AbortSignal: stop button" });
      expect((error as Error).cause).toEqual(new Error("stop button"));
    });
  });

  it("terminate() gives the running calls PoolTerminatedError (a PoolClosedError), later calls PoolClosedError", async () => {
    const pool = new Pool(2);
    const [flag, other] = [newFlag(), newFlag()];
    const mapped = rejection(pool.map(blockUntilReleased, [flag]));
    const iterated = rejection(pool.imap(blockUntilReleased, [other]).next());
    await started(flag);
    await started(other);
    await pool.terminate();
    for (const error of [await mapped, await iterated]) {
      expect(error).toBeInstanceOf(PoolTerminatedError);
      expect(error).toBeInstanceOf(PoolClosedError);
      expect(error).toBeInstanceOf(LanesError);
      expect(error).not.toBeInstanceOf(AbortError);
      expect((error as Error).name).toBe("PoolTerminatedError");
      expect((error as Error).message).toMatch(/^The pool was terminated .* while this call was running, so its results are lost/);
    }
    const later = await rejection(pool.map((x: number) => x, [1]));
    expect(later).toBeInstanceOf(PoolClosedError);
    expect(later).not.toBeInstanceOf(PoolTerminatedError);
    expect((later as Error).message).toBe("The pool is terminated and takes no new work; create a new Pool");
  });

  it("close() lets running calls finish; once joined the pool refuses work with PoolClosedError, never AbortError", async () => {
    const pool = new Pool(2);
    const flag = newFlag();
    const running = pool.map(blockUntilReleased, [flag]);
    await started(flag);
    pool.close();
    const refused = await rejection(pool.apply(() => 1));
    expect(refused).toBeInstanceOf(PoolClosedError);
    expect((refused as Error).message).toBe("The pool is closed and takes no new work; create a new Pool");
    const joined = pool.join();
    release(flag, 1);
    await expect(running).resolves.toEqual(["released"]);
    await joined;
    // Past Pool's own checks, the engine itself refuses a call that reaches it after the close.
    const engine = (pool as unknown as { engine: Engine }).engine;
    const owner: BatchOwner = { stopped: false, fail: () => undefined, workerFreed: () => undefined };
    let error: unknown;
    try {
      engine.register(owner);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PoolClosedError);
    expect(error).not.toBeInstanceOf(PoolTerminatedError);
    expect(error).not.toBeInstanceOf(AbortError);
    expect((error as Error).message).toBe("The pool was closed and joined while this call was still running; create a new Pool to run it");
  });
});

describe("worker trouble that is not the task throwing", () => {
  const handlerName = "test:errors-marker";
  afterEach(() => {
    transferHandlers.delete(handlerName);
  });

  it("a function that cannot be rebuilt in the worker gives FunctionLoadError, not a RemoteError", async () => {
    class Marker {
      constructor(readonly n: number) {}
    }
    // Registered on the kernel thread only: the worker has no handler to rebuild the captured marker with.
    registerTransferHandler(handlerName, {
      canHandle: (v: unknown): v is Marker => v instanceof Marker,
      serialize: (m: Marker) => m.n,
      deserialize: (n: number) => new Marker(n),
    });
    const marker = new Marker(5);
    await Pool.with(1, async (pool) => {
      const addMarker = (x: number) => x + marker.n;
      const error = await rejection(pool.map(addMarker, [1, 2], { context: { marker } }));
      expect(error).toBeInstanceOf(FunctionLoadError);
      expect(error).toBeInstanceOf(LanesError);
      expect(error).not.toBeInstanceOf(RemoteError);
      const load = error as FunctionLoadError;
      expect(load.name).toBe("FunctionLoadError");
      expect(load.functionName).toBe("addMarker");
      expect(pool.threadIds).toContain(load.threadId);
      expect(load.message).toContain(`The task function "addMarker" could not be rebuilt in worker thread ${load.threadId}, so the task never ran there`);
      expect(load.message).toContain(`no transfer handler "${handlerName}" is registered in this worker`);
      expect(load.cause).toBeInstanceOf(RemoteError);
      expect((load.cause as RemoteError).remoteStack).toContain("no transfer handler");
      // The worker kept nothing of it: the next call with the same function fails the same way.
      await expect(pool.apply(addMarker, [1], { context: { marker } })).rejects.toBeInstanceOf(FunctionLoadError);
      // Nothing crashed: the same worker runs the next call.
      const threads = pool.threadIds;
      await expect(pool.map((x: number) => x + 1, [1, 2])).resolves.toEqual([2, 3]);
      expect(pool.threadIds).toEqual(threads);
    });
  });

  it("a worker that keeps answering it lacks the task function gives InternalError, not WorkerCrashedError", async () => {
    const task = (x: number) => x * 2;
    const { id } = shipFunction(task);
    // Simulates the bug InternalError reports: this worker's Map drops the task function under its id,
    // so the worker answers "I do not have it" however often the function is sent.
    const loseTask = (lost: string) => {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its own Map as `this`
      const set = Map.prototype.set;
      Map.prototype.set = function <K, V>(this: Map<K, V>, key: K, value: V): Map<K, V> {
        return key === lost ? this : set.call(this, key, value) as Map<K, V>;
      };
    };
    await Pool.with({ processes: 1, initializer: loseTask, initargs: [id] }, async (pool) => {
      const error = await rejection(pool.map(task, [1, 2, 3]));
      expect(error).toBeInstanceOf(InternalError);
      expect(error).toBeInstanceOf(LanesError);
      expect(error).not.toBeInstanceOf(WorkerCrashedError);
      expect((error as Error).name).toBe("InternalError");
      expect((error as Error).message).toMatch(/^Worker thread \d+ answered 4 times that it does not hold the task function "task".*This is a bug in Lanes, not in your task/);
      // Nothing crashed: the same worker runs other functions.
      const threads = pool.threadIds;
      await expect(pool.map((x: number) => x + 1, [1, 2])).resolves.toEqual([2, 3]);
      expect(pool.threadIds).toEqual(threads);
    });
  });

  it("a worker that dies gives WorkerCrashedError", async () => {
    await Pool.with(1, async (pool) => {
      const before = pool.threadIds;
      const error = await rejection(pool.apply(() => process.exit(7)));
      expect(error).toBeInstanceOf(WorkerCrashedError);
      expect(error).toBeInstanceOf(LanesError);
      expect(error).not.toBeInstanceOf(InternalError);
      expect((error as Error).message).toMatch(/^Worker thread \d+ died while running item 0 \(exit code 7\)/);
      await expect(pool.apply(() => 1)).resolves.toBe(1);
      expect(pool.threadIds).not.toEqual(before);
    });
  });
});
