import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { LockOwnerDiedError } from "../../src/errors";
import { Lock, RLock, RawArray, toWire } from "../../src/shared";
import { inWorker, until, whenEquals } from "./threads";

// The holder takes the lock, says so on flag 0, then dies (terminated, or process.exit in the worker).
const HOLD_AND_BLOCK = ([lock, f]: [Lock, Int32Array]) => {
  lock.acquire();
  Atomics.store(f, 0, 1);
  Atomics.notify(f, 0);
  Atomics.wait(f, 7, 0); // until terminated
};
const HOLD_AND_EXIT = ([lock, f]: [RLock, Int32Array]) => {
  lock.acquire();
  lock.acquire();
  Atomics.store(f, 0, 1);
  Atomics.notify(f, 0);
  Atomics.wait(f, 1, 0); // until told to exit
  process.exit(3);
};
const WAITER = ([lock]: [Lock]) => {
  try {
    lock.acquire();
    return "acquired";
  } catch (e) {
    return [(e as Error).name, (e as LockOwnerDiedError).ownerThreadId];
  }
};

describe("a worker that dies holding a lock", () => {
  it("terminated holding a Lock: the waiting worker and every later acquirer get LockOwnerDiedError", async () => {
    const lock = new Lock();
    const f = RawArray("i", 8);
    const holder = inWorker(HOLD_AND_BLOCK as never, [toWire(lock), toWire(f)]);
    holder.done.catch(() => undefined);
    await until(f, 0, 1);
    const waiter = inWorker(WAITER as never, [toWire(lock)]);
    await whenEquals(lock.words, 0, 2); // the waiter marked the lock contended: it is waiting
    const tid = holder.worker.threadId;
    await holder.worker.terminate();
    expect(await waiter.done).toEqual(["LockOwnerDiedError", tid]);
    await expect(lock.acquireAsync()).rejects.toThrow(LockOwnerDiedError);
    expect(() => lock.acquire({ blocking: false })).toThrow(/died while holding it/);
    expect(() => lock.release()).toThrow(LockOwnerDiedError);
  });

  it("process.exit while holding an RLock: a kernel waitAsync rejects, a later worker acquire throws", async () => {
    const lock = new RLock();
    const f = RawArray("i", 8);
    const holder = inWorker(HOLD_AND_EXIT as never, [toWire(lock), toWire(f)]);
    holder.done.catch(() => undefined);
    await until(f, 0, 1);
    const waiting = lock.acquireAsync();
    const exited = new Promise((resolve) => holder.worker.once("exit", resolve));
    Atomics.store(f, 1, 1);
    Atomics.notify(f, 1);
    expect(await exited).toBe(3);
    await expect(waiting).rejects.toThrow(LockOwnerDiedError);
    const later = inWorker(WAITER as never, [toWire(lock)]);
    expect(((await later.done) as unknown[])[0]).toBe("LockOwnerDiedError");
  });

  it("a lock released before its worker exits stays usable", async () => {
    const lock = new Lock();
    const w = inWorker(([lock]) => lock.withLock(() => "done"), [toWire(lock)]);
    expect(await w.done).toBe("done");
    await new Promise((resolve) => (w.worker.threadId === -1 ? resolve(null) : w.worker.once("exit", resolve)));
    expect(await lock.acquireAsync({ timeout: 1000 })).toBe(true);
    lock.release();
  });
});

describe("a lock the kernel never saw (made in a worker, passed only between workers)", () => {
  // Worker A makes the Lock, takes it, sends its wire (raw memory, no Lock object) up and blocks.
  const MAKER = `
const { parentPort, workerData } = require("node:worker_threads");
const lanes = require(workerData.dist);
const lock = new lanes.Lock();
lock.acquire();
parentPort.postMessage(lanes.toWire(lock));
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
`;
  // Worker B gets the wire (relayed untouched by the kernel) and waits on the lock.
  const TAKER = `
const { parentPort, workerData } = require("node:worker_threads");
const lanes = require(workerData.dist);
const lock = lanes.fromWire(workerData.wire);
try { lock.acquire(); parentPort.postMessage("acquired"); } catch (e) { parentPort.postMessage([e.name, e.ownerThreadId]); }
`;

  it("its waiter announces it on the slow path, so the owner's death still breaks it", async () => {
    const dist = join(__dirname, "..", "..", "dist", "shared", "index.js");
    const maker = new Worker(MAKER, { eval: true, workerData: { dist } });
    const wire = await new Promise<{ k: string; b: SharedArrayBuffer }>((resolve) => maker.once("message", resolve));
    const taker = new Worker(TAKER, { eval: true, workerData: { dist, wire } });
    const answer = new Promise((resolve) => taker.once("message", resolve));
    await whenEquals(new Int32Array(wire.b), 0, 2); // the taker marked it contended: it is waiting
    const tid = maker.threadId;
    await maker.terminate();
    expect(await answer).toEqual(["LockOwnerDiedError", tid]);
    await taker.terminate();
  });
});
