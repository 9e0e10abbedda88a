import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SemaphoreHolderDiedWarning, TooManyReleasesError } from "../../src/errors";
import { BoundedSemaphore, Lock, RawArray, Semaphore, toWire } from "../../src/shared";
import { SLOTS } from "../../src/shared/permits";
import { inWorker, until, whenEquals } from "./threads";

const WAITERS = 2;
const UNTRACKED = 4;
const DIST = join(__dirname, "..", "..", "dist", "shared", "index.js");

// Holders take `k` permits, say so on flag 0, then die as the test says on flag 1: 1 = process.exit,
// 2 = an uncaught throw; otherwise they block until terminated.
const HOLD = ([sem, f]: [Semaphore, Int32Array], k: number) => {
  for (let i = 0; i < k; i++) sem.acquire();
  Atomics.store(f, 0, 1);
  Atomics.notify(f, 0);
  Atomics.wait(f, 1, 0);
  if (Atomics.load(f, 1) === 1) process.exit(3);
  setImmediate(() => {
    throw new Error("boom while holding permits");
  });
  return new Promise(() => undefined);
};

// A waiter blocked in acquire: returns whether it got a permit and the warnings its thread was given.
const WAIT = ([sem]: [Semaphore]) => {
  const warnings: unknown[] = [];
  process.on("warning", (w: Error & { ownerThreadId?: number; permits?: number }) => warnings.push([w.name, w.ownerThreadId, w.permits]));
  const got = sem.acquire();
  sem.release();
  const again = sem.acquire(); // a later acquire in the same thread is not told again
  sem.release();
  return new Promise((resolve) => setImmediate(() => resolve({ got, again, warnings })));
};

const exitOf = (w: Worker): Promise<number> => new Promise((resolve) => w.once("exit", resolve));

/** A worker running HOLD: resolves once it holds `k` permits; `die(how)` ends it (1 = process.exit, 2 = an uncaught throw). */
async function holderOf(sem: Semaphore, k: number) {
  const f = RawArray("i", 4);
  const { worker, done } = inWorker(HOLD as never, [toWire(sem), toWire(f)], k);
  done.catch(() => undefined);
  worker.on("error", () => undefined);
  await until(f, 0, 1);
  const die = (how: 1 | 2) => {
    Atomics.store(f, 1, how);
    Atomics.notify(f, 1);
  };
  return { worker, die };
}

/** Warnings emitted on the test's own (kernel) thread. */
let seen: Error[] = [];
const onWarning = (w: Error) => seen.push(w);
beforeEach(() => {
  seen = [];
  process.on("warning", onWarning);
});
afterEach(() => {
  process.off("warning", onWarning);
});
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("a worker that dies holding Semaphore permits gives them back", () => {
  it("terminated: a waiter blocked in another worker gets the permit and one SemaphoreHolderDiedWarning", async () => {
    const sem = new Semaphore(1);
    const holder = await holderOf(sem, 1);
    const waiter = inWorker(WAIT as never, [toWire(sem)]);
    await whenEquals(sem.words, WAITERS, 1); // the waiter is in the slow path
    const tid = holder.worker.threadId;
    await holder.worker.terminate();
    expect(await waiter.done).toEqual({ got: true, again: true, warnings: [["SemaphoreHolderDiedWarning", tid, 1]] });
    expect(sem.getValue()).toBe(1);
    expect(seen).toEqual([]); // told once: in the waiter's thread, not again here
    expect(await sem.acquireAsync({ timeout: 0 })).toBe(true);
    await nextTurn();
    expect(seen).toEqual([]);
  });

  it("process.exit holding 2 of 2: an async waiter on the kernel proceeds, warned once with both permits", async () => {
    const sem = new Semaphore(2);
    const holder = await holderOf(sem, 2);
    expect(sem.getValue()).toBe(0);
    const waiting = sem.acquireAsync();
    const tid = holder.worker.threadId;
    const exited = exitOf(holder.worker);
    holder.die(1);
    expect(await exited).toBe(3);
    expect(await waiting).toBe(true);
    await nextTurn();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(SemaphoreHolderDiedWarning);
    expect(seen[0]).toMatchObject({ ownerThreadId: tid, permits: 2 });
    expect(seen[0]!.message).toMatch(/died holding 2 permit\(s\) of Semaphore#\d+; they were given back/);
    expect(sem.getValue()).toBe(1); // the other returned permit is free
    sem.release();
    expect(await sem.acquireAsync()).toBe(true);
    await nextTurn();
    expect(seen).toHaveLength(1);
  });

  it("an uncaught throw: a BoundedSemaphore gets its permit back and still refuses an over-release", async () => {
    const sem = new BoundedSemaphore(2);
    expect(await sem.acquireAsync()).toBe(true); // the kernel holds one, alive
    const holder = await holderOf(sem, 1);
    expect(sem.getValue()).toBe(0);
    const exited = exitOf(holder.worker);
    holder.die(2);
    expect(await exited).toBe(1);
    expect(sem.getValue()).toBe(1);
    sem.release(); // the kernel's own
    expect(sem.getValue()).toBe(2);
    expect(() => sem.release()).toThrow(TooManyReleasesError);
    expect(await sem.acquireAsync({ timeout: 0 })).toBe(true);
    await nextTurn();
    expect(seen.map((w) => w.name)).toEqual(["SemaphoreHolderDiedWarning"]);
  });

  it("out of memory: a worker over its heap limit, holding a permit, gives it back to a waiting kernel", async () => {
    const sem = new Semaphore(1);
    const HOG = `
const { workerData } = require("node:worker_threads");
const sem = require(workerData.dist).fromWire(workerData.wire);
sem.acquire();
const hoard = [];
for (;;) hoard.push(new Array(1e5).fill(hoard.length));
`;
    const w = new Worker(HOG, { eval: true, workerData: { dist: DIST, wire: toWire(sem) }, resourceLimits: { maxOldGenerationSizeMb: 16 } });
    const failed = new Promise<Error>((resolve) => w.once("error", resolve));
    await whenEquals(sem.words, 0, 0); // it holds the permit
    expect(await sem.acquireAsync()).toBe(true);
    expect(await failed).toMatchObject({ code: "ERR_WORKER_OUT_OF_MEMORY" });
    await nextTurn();
    expect(seen.map((x) => x.name)).toEqual(["SemaphoreHolderDiedWarning"]);
  });

  it("workers that released what they took give nothing back when they exit", async () => {
    // Room for both workers' two permits at once: with a bound of 2, each holding one and waiting for its
    // second left both blocked for good (a deadlock of the test, seen once).
    const sem = new BoundedSemaphore(4);
    const body = ([s]: [Semaphore]) => {
      for (let i = 0; i < 100; i++) s.withLock(() => i);
      s.acquire();
      s.acquire();
      s.release(2);
      return "done";
    };
    const a = inWorker(body as never, [toWire(sem)]);
    const b = inWorker(body as never, [toWire(sem)]);
    const exits = [exitOf(a.worker), exitOf(b.worker)];
    expect(await Promise.all([a.done, b.done])).toEqual(["done", "done"]);
    await Promise.all(exits);
    expect(sem.getValue()).toBe(4);
    expect(() => sem.release()).toThrow(TooManyReleasesError);
    // The refused over-release released nothing: holders are still known, recovery still on.
    expect(sem.words[UNTRACKED]).toBe(0);
    await nextTurn();
    expect(seen).toEqual([]);
  });

  it("a signalling semaphore (released by the kernel, taken by a worker) is not inflated when its consumer exits", async () => {
    const sem = new Semaphore(0);
    sem.release(); // a release that matched no acquire here: who holds what is unknown from now on
    expect(sem.words[UNTRACKED]).toBe(1);
    const consumer = inWorker((([s]: [Semaphore]) => s.acquire()) as never, [toWire(sem)]);
    const exited = exitOf(consumer.worker);
    expect(await consumer.done).toBe(true);
    await exited;
    expect(sem.getValue()).toBe(0);
  });

  it("a release through a second object over the same memory in the same thread still counts as this thread's", () => {
    const sem = new Semaphore(1);
    const twin = new Semaphore(0, sem.buffer); // as a second copy of Lanes in one thread would rebuild it
    expect(sem.acquire({ blocking: false })).toBe(true);
    twin.release();
    expect(sem.words[UNTRACKED]).toBe(0);
    twin.release(); // this thread holds none now: a foreign release
    expect(sem.words[UNTRACKED]).toBe(1);
  });

  it("with the holder table full, a new thread's permits are not tracked, and none is invented", async () => {
    const sem = new Semaphore(1);
    // Stand-ins for SLOTS live threads that once acquired it (ids no thread has: nobody frees them).
    for (let s = 0; s < SLOTS; s++) sem.words[8 + 2 * s] = 1_000_000 + s;
    const holder = await holderOf(sem, 1);
    expect(sem.words[UNTRACKED]).toBe(1);
    await holder.worker.terminate();
    expect(sem.getValue()).toBe(0); // lost, as before this table existed
    sem.release();
    expect(await sem.acquireAsync({ timeout: 0 })).toBe(true);
  });

  it("a semaphore only workers have seen: its waiter announces it, so a dead holder's permit still comes back", async () => {
    const MAKER = `
const { parentPort, workerData } = require("node:worker_threads");
const lanes = require(workerData.dist);
const sem = new lanes.Semaphore(1);
sem.acquire();
parentPort.postMessage(lanes.toWire(sem));
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
`;
    const TAKER = `
const { parentPort, workerData } = require("node:worker_threads");
const lanes = require(workerData.dist);
const sem = lanes.fromWire(workerData.wire);
const warnings = [];
process.on("warning", (w) => warnings.push(w.name));
const got = sem.acquire();
setImmediate(() => parentPort.postMessage([got, warnings]));
`;
    const maker = new Worker(MAKER, { eval: true, workerData: { dist: DIST } });
    const wire = await new Promise<{ k: string; b: SharedArrayBuffer }>((resolve) => maker.once("message", resolve));
    const taker = new Worker(TAKER, { eval: true, workerData: { dist: DIST, wire } });
    const answer = new Promise((resolve) => taker.once("message", resolve));
    await whenEquals(new Int32Array(wire.b), WAITERS, 1);
    await maker.terminate();
    expect(await answer).toEqual([true, ["SemaphoreHolderDiedWarning"]]);
    await taker.terminate();
  });
});

describe("workers started by workers are watched", () => {
  // A worker that receives the lock (only the classes load, not Lanes' main module) and starts a worker
  // of its own running `workerData.child`; flag 2 = the child's exit code.
  const PARENT = `
const { Worker, workerData } = require("node:worker_threads");
require(workerData.dist.replace("index.js", "handlers.js")).fromWire(workerData.wire);
const f = new Int32Array(workerData.f);
const child = new Worker(workerData.child, { eval: true, workerData });
child.on("error", () => {});
child.once("exit", (code) => { Atomics.store(f, 2, code); Atomics.notify(f, 2); });
`;
  // Holds the lock or a permit, says so on flag 0; exits on flag 1, or blocks until ended with its parent.
  const CHILD = `
const { workerData } = require("node:worker_threads");
const lanes = require(workerData.dist);
const held = lanes.fromWire(workerData.wire);
held.acquire();
const f = new Int32Array(workerData.f);
Atomics.store(f, 0, 1);
Atomics.notify(f, 0);
Atomics.wait(f, 1, 0);
process.exit(4);
`;

  it("a grandchild that exits holding a permit gives it back (its parent reports the exit)", async () => {
    const sem = new Semaphore(1);
    const f = new Int32Array(new SharedArrayBuffer(16));
    const parent = new Worker(PARENT, { eval: true, workerData: { dist: DIST, f: f.buffer, child: CHILD, wire: toWire(sem) } });
    await until(f, 0, 1);
    expect(sem.getValue()).toBe(0);
    const waiting = sem.acquireAsync();
    Atomics.store(f, 1, 1);
    Atomics.notify(f, 1);
    expect(await waiting).toBe(true);
    await until(f, 2, 4); // its parent saw it exit with code 4
    await parent.terminate();
    await nextTurn();
    expect(seen.map((w) => w.name)).toEqual(["SemaphoreHolderDiedWarning"]);
  });

  it("a Pool made inside a worker: its task exits holding a permit, and the kernel's waiter gets it back", async () => {
    const sem = new Semaphore(1);
    const POOL_IN_WORKER = `
const { workerData, parentPort } = require("node:worker_threads");
const lanes = require(workerData.lanes);
const sem = require(workerData.dist).fromWire(workerData.wire);
const pool = new lanes.Pool(1);
pool.apply(() => { sem.acquire(); process.exit(7); }).catch((e) => parentPort.postMessage(e.name));
`;
    const lanes = join(__dirname, "..", "..", "dist", "index.js");
    const w = new Worker(POOL_IN_WORKER, { eval: true, workerData: { dist: DIST, lanes, wire: toWire(sem) } });
    const crashed = new Promise((resolve) => w.once("message", resolve));
    await whenEquals(sem.words, 0, 0); // the task holds the permit
    expect(await sem.acquireAsync()).toBe(true);
    expect(await crashed).toBe("WorkerCrashedError");
    await w.terminate();
    await nextTurn();
    expect(seen.map((x) => x.name)).toEqual(["SemaphoreHolderDiedWarning"]);
  });

  it("a grandchild holding a Lock, ended with its terminated parent: the lock breaks for the kernel's waiter", async () => {
    const lock = new Lock();
    const f = new Int32Array(new SharedArrayBuffer(16));
    const parent = new Worker(PARENT, { eval: true, workerData: { dist: DIST, f: f.buffer, child: CHILD, wire: toWire(lock) } });
    await until(f, 0, 1);
    const waiting = lock.acquireAsync();
    waiting.catch(() => undefined);
    await parent.terminate();
    await expect(waiting).rejects.toThrow(/died while holding it/);
  });
});
