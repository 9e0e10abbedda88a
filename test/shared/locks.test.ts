/* eslint-disable @typescript-eslint/no-unsafe-return -- worker bodies are source text run in another thread against dist's classes, loosely typed */
import { describe, expect, it } from "vitest";
import { KernelThreadBlockingError, LockNotHeldError, TooManyReleasesError, BrokenBarrierError } from "../../src/errors";
import { Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore, RawArray, RawValue, toWire, pendingAsyncWaits } from "../../src/shared";
import { inWorker, until, whenEquals } from "./threads";

// Threads meet through Atomics on a shared flags array: no sleeps. In a worker `signal(f, i)` bumps
// flag i; the test awaits it with `until`.
const flags = () => RawArray("i", 8);
const SIGNAL = "function signal(f, i) { Atomics.add(f, i, 1); Atomics.notify(f, i); }";
// Defined inside the workers by eval(SIGNAL).
declare function signal(f: Int32Array, i: number): void;

describe("Lock", () => {
  it("releasing an unheld Lock throws; non-blocking acquire; locked()", () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(LockNotHeldError);
    expect(lock.acquire({ blocking: false })).toBe(true);
    expect(lock.locked()).toBe(true);
    expect(lock.acquire({ blocking: false })).toBe(false);
    expect(lock.acquire({ timeout: 0 })).toBe(false);
    lock.release();
    expect(lock.locked()).toBe(false);
    expect(() => lock.acquire({ timeout: -1 })).toThrow(RangeError);
  });

  it("on the kernel thread a blocking acquire that would wait throws, naming acquireAsync", () => {
    const lock = new Lock();
    lock.acquire();
    expect(() => lock.acquire()).toThrow(KernelThreadBlockingError);
    expect(() => lock.acquire({ timeout: 10 })).toThrow(/await lock\.acquireAsync\(\)/);
    expect(() => lock.withLock(() => 1)).toThrow(KernelThreadBlockingError);
    lock.release();
    expect(lock.withLock(() => 42)).toBe(42); // uncontended: it need not wait, so it is allowed
  });

  it("acquireAsync times out while held, and gets it once released", async () => {
    const lock = new Lock();
    lock.acquire();
    expect(await lock.acquireAsync({ timeout: 5 })).toBe(false);
    const later = lock.acquireAsync();
    lock.release();
    expect(await later).toBe(true);
    lock.release();
    expect(await lock.withLockAsync(async () => 7)).toBe(7);
    expect(lock.locked()).toBe(false);
    expect(pendingAsyncWaits()).toBe(0);
  });

  it("a worker's acquire times out while the kernel holds it, then blocks until released", async () => {
    const lock = new Lock();
    const f = flags();
    lock.acquire();
    const w = inWorker(([lock, f], extra) => {
      eval(extra);
      const timedOut = lock.acquire({ timeout: 5 }) === false;
      signal(f, 0);
      const got = lock.acquire();
      lock.release();
      return { timedOut, got };
    }, [toWire(lock), toWire(f)], SIGNAL);
    await until(f, 0, 1);
    lock.release();
    expect(await w.done).toEqual({ timedOut: true, got: true });
  });
});

describe("RLock", () => {
  it("is re-entrant in its thread; another thread's release throws", async () => {
    const r = new RLock();
    r.acquire();
    r.acquire();
    expect(r.isOwned()).toBe(true);
    const w = inWorker(([r]) => {
      try {
        r.release();
        return "released";
      } catch (e) {
        return [(e as Error).name, r.acquire({ timeout: 5 })];
      }
    }, [toWire(r)]);
    expect(await w.done).toEqual(["LockNotHeldError", false]);
    r.release();
    expect(r.isOwned()).toBe(true);
    r.release();
    expect(r.isOwned()).toBe(false);
    expect(() => r.release()).toThrow(/nobody holds/);
    const w2 = inWorker(([r]) => r.withLock(() => r.withLock(() => r.withLock(() => "deep"))), [toWire(r)]);
    expect(await w2.done).toBe("deep");
    expect(await r.acquireAsync({ timeout: 0 })).toBe(true);
    r.release();
  });
});

describe("Semaphore", () => {
  it("never has more than n holders across 4 workers", async () => {
    const sem = new Semaphore(2);
    const stats = RawArray("i", 2); // [current holders, most seen]
    const runs = [0, 1, 2, 3].map(() => inWorker(([sem, s]) => {
      for (let k = 0; k < 2000; k++) {
        sem.withLock(() => {
          const now = Atomics.add(s, 0, 1) + 1;
          for (let m = Atomics.load(s as Int32Array, 1); now > m; m = Atomics.load(s as Int32Array, 1)) Atomics.compareExchange(s as Int32Array, 1, m, now);
          Atomics.sub(s, 0, 1);
        });
      }
      return true;
    }, [toWire(sem), toWire(stats)]));
    await Promise.all(runs.map((r) => r.done));
    expect(stats[1]).toBeGreaterThanOrEqual(1);
    expect(stats[1]).toBeLessThanOrEqual(2);
    expect(sem.getValue()).toBe(2);
  });

  it("acquire timeouts (worker and kernel), release(n) wakes waiters", async () => {
    const sem = new Semaphore(0);
    expect(sem.acquire({ blocking: false })).toBe(false);
    expect(() => sem.acquire()).toThrow(/await semaphore\.acquireAsync/);
    expect(await sem.acquireAsync({ timeout: 5 })).toBe(false);
    const f = flags();
    const w = inWorker(([sem, f], extra) => {
      eval(extra);
      const t = sem.acquire({ timeout: 5 });
      signal(f, 0);
      return [t, sem.acquire(), sem.acquire()];
    }, [toWire(sem), toWire(f)], SIGNAL);
    await until(f, 0, 1);
    sem.release(2);
    expect(await w.done).toEqual([false, true, true]);
    expect(sem.getValue()).toBe(0);
  });

  it("BoundedSemaphore refuses over-release", () => {
    const b = new BoundedSemaphore(2);
    expect(() => b.release()).toThrow(TooManyReleasesError);
    b.acquire();
    b.release();
    expect(() => b.release()).toThrow(/released too many times/);
    expect(b.getValue()).toBe(2);
  });
});

describe("Event", () => {
  it("set/clear/wait with timeouts, in a worker and on the kernel", async () => {
    const e = new Event();
    expect(e.isSet()).toBe(false);
    expect(e.wait({ timeout: 0 })).toBe(false);
    expect(() => e.wait()).toThrow(/await event\.waitAsync/);
    expect(await e.waitAsync({ timeout: 5 })).toBe(false);
    const f = flags();
    const w = inWorker(([e, f], extra) => {
      eval(extra);
      const first = e.wait({ timeout: 5 });
      signal(f, 0);
      const second = e.wait();
      return [first, second, e.isSet()];
    }, [toWire(e), toWire(f)], SIGNAL);
    await until(f, 0, 1);
    e.set();
    expect(await w.done).toEqual([false, true, true]);
    expect(e.wait()).toBe(true); // set: no wait, allowed on the kernel
    e.clear();
    expect(e.isSet()).toBe(false);
    const later = e.waitAsync();
    e.set();
    expect(await later).toBe(true);
  });
});

describe("Condition", () => {
  it("producer/consumer across workers: every item consumed exactly once", async () => {
    const cond = new Condition();
    const box = RawArray("i", 3); // [available, consumed, done]
    const N = 500;
    const consumer = () => inWorker(([cond, box]) => {
      let mine = 0;
      for (;;) {
        const got = cond.withLock(() => {
          cond.waitFor(() => box[0] > 0 || box[2] === 1);
          if (box[0] === 0) return false;
          box[0]--;
          box[1]++;
          return true;
        });
        if (!got) return mine;
        mine++;
      }
    }, [toWire(cond), toWire(box)]);
    const producer = inWorker(([cond, box], n) => {
      for (let k = 0; k < n; k++) cond.withLock(() => { box[0]++; cond.notify(); });
      cond.withLock(() => { box[2] = 1; cond.notifyAll(); });
      return n;
    }, [toWire(cond), toWire(box)], N);
    const [a, b] = await Promise.all([consumer().done, consumer().done, producer.done]);
    expect((a as number) + (b as number)).toBe(N);
    expect(box[1]).toBe(N);
  });

  it("wait needs the lock; wait and waitFor time out; the kernel uses waitAsync", async () => {
    const cond = new Condition(new Lock());
    expect(() => cond.wait()).toThrow(LockNotHeldError);
    expect(() => cond.notify()).toThrow(LockNotHeldError);
    await cond.acquireAsync();
    expect(() => cond.wait()).toThrow(/await cond\.waitAsync/);
    expect(await cond.waitAsync({ timeout: 5 })).toBe(false);
    expect(await cond.waitForAsync(() => 0, { timeout: 5 })).toBe(0);
    cond.release();
    const w = inWorker(([cond]) => cond.withLock(() => [cond.wait({ timeout: 5 }), cond.waitFor(() => null, { timeout: 5 })]), [toWire(cond)]);
    expect(await w.done).toEqual([false, null]);
  });

  it("a kernel waitAsync is woken by a worker's notify", async () => {
    const cond = new Condition();
    const box = RawArray("i", 1);
    await cond.acquireAsync();
    const woke = cond.waitForAsync(() => box[0] === 1);
    const w = inWorker(([cond, box]) => cond.withLock(() => { box[0] = 1; cond.notifyAll(); return true; }), [toWire(cond), toWire(box)]);
    expect(await woke).toBe(true);
    cond.release();
    expect(await w.done).toBe(true);
  });
});

describe("Barrier", () => {
  it("releases N parties together, arrival indexes 0..N-1, reusable, action runs", async () => {
    const N = 3;
    const b = new Barrier(N, { action: () => { (globalThis as { trips?: number }).trips = ((globalThis as { trips?: number }).trips ?? 0) + 1; } });
    const order = RawArray("i", 2 * N);
    const runs = Array.from({ length: N }, () => inWorker(([b, order]) => {
      const first = b.wait();
      Atomics.add(order, first, 1);
      const second = b.wait();
      Atomics.add(order, 3 + second, 1);
      return (globalThis as { trips?: number }).trips ?? 0;
    }, [toWire(b), toWire(order)]));
    const trips = (await Promise.all(runs.map((r) => r.done))) as number[];
    expect([...order]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(trips.reduce((x, y) => x + y, 0)).toBe(2); // one action per round, in whichever thread arrived last
    expect(b.broken).toBe(false);
    expect(b.nWaiting).toBe(0);
  });

  it("a timed-out wait breaks it; abort wakes waiters; reset mends it", async () => {
    const b = new Barrier(3);
    const w = inWorker(([b]) => {
      try {
        b.wait({ timeout: 5 });
        return "passed";
      } catch (e) {
        return [(e as Error).name, b.broken];
      }
    }, [toWire(b)]);
    expect(await w.done).toEqual(["BrokenBarrierError", true]);
    await expect(b.waitAsync()).rejects.toThrow(BrokenBarrierError);
    b.reset();
    expect(b.broken).toBe(false);
    const f = flags();
    const waiter = inWorker(([b, f], extra) => {
      eval(extra);
      signal(f, 0);
      try {
        b.wait();
        return "passed";
      } catch (e) {
        return (e as Error).name;
      }
    }, [toWire(b), toWire(f)], SIGNAL);
    await until(f, 0, 1);
    await whenEquals(b.words, 2, 1); // its arrival is counted: it waits
    b.abort();
    expect(await waiter.done).toBe("BrokenBarrierError");
    expect(b.broken).toBe(true);
    b.reset();
    const two = new Barrier(2, { timeout: 10_000 });
    const other = inWorker(([two]) => two.wait(), [toWire(two)]);
    const mine = await two.waitAsync();
    expect([mine, await other.done].sort()).toEqual([0, 1]);
  });

  it("an action that throws breaks the barrier", async () => {
    const b = new Barrier(1, { action: () => { throw new Error("boom"); } });
    await expect(b.waitAsync()).rejects.toThrow("boom");
    expect(b.broken).toBe(true);
    expect(() => new Barrier(0)).toThrow(RangeError);
  });

  it("the kernel's Barrier.wait throws naming waitAsync", () => {
    expect(() => new Barrier(2).wait()).toThrow(KernelThreadBlockingError);
  });
});

void RawValue;
