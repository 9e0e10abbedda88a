import { markSharedInUse } from "./in-use";
import { LockNotHeldError } from "../errors";
import { SHARED, type Branded } from "./brand";
import { Lock } from "./lock";
import type { AcquireOptions, AsyncWaitOptions, LockLike } from "./options";
import { RLock } from "./rlock";
import { deadlineOf, refuseOnKernel, remaining, runAsync, runSync, type Steps, type WaitResult } from "./wait";
import { now } from "../trace/clock";
import { nextObjectId, recordWait } from "../trace/wait-log";

// Word 1: its number in timelines (`Condition#1`), the same in every thread.
const ID = 1;

/**
 * A condition variable, like Python's `multiprocessing.Condition(lock)`: waiters release the lock, sleep
 * until notified, and hold the lock again when `wait` returns. The default lock is a new `RLock`.
 *
 * A sequence word counts notifications: `wait` reads it before releasing the lock and sleeps only while
 * it is unchanged, so a `notify` between the release and the sleep is never lost. The price: a waiter
 * that was about to sleep when a notify came also wakes, so `notify(n)` may wake more than `n`.
 * Always wait in a loop over the real condition — `waitFor(predicate)` does it for you.
 *
 * @example
 * // consumer (worker)
 * cond.withLock(() => { cond.waitFor(() => items.value > 0); items.value--; });
 * // producer
 * cond.withLock(() => { items.value++; cond.notify(); });
 */
export class Condition implements LockLike, Branded {
  declare readonly [SHARED]: "Condition";
  /** The lock it waits with. */
  readonly lock: Lock | RLock;
  /** @internal the notification sequence word, the id */
  readonly words: Int32Array;

  constructor(lock?: Lock | RLock, /** @internal */ shared?: SharedArrayBuffer) {
    markSharedInUse();
    this.lock = lock ?? new RLock();
    this.words = new Int32Array(shared ?? new SharedArrayBuffer(8));
    if (shared === undefined) this.words[ID] = nextObjectId("Condition");
  }

  /** Its number in timelines (`Condition#1`), the same in every thread. */
  get id(): number {
    return this.words[ID]!;
  }

  acquire(options?: AcquireOptions): boolean {
    return this.lock.acquire(options);
  }

  acquireAsync(options?: AsyncWaitOptions): Promise<boolean> {
    return this.lock.acquireAsync(options);
  }

  release(): void {
    this.lock.release();
  }

  withLock<R>(fn: () => R): R {
    return this.lock.withLock(fn);
  }

  withLockAsync<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    return this.lock.withLockAsync(fn);
  }

  private checkOwned(call: string): void {
    const owned = this.lock instanceof RLock ? this.lock.isOwned() : this.lock.locked();
    if (!owned) throw new LockNotHeldError(`Condition.${call} needs the condition's lock: call it inside cond.withLock(() => …) (Python: "cannot ${call} on un-acquired lock")`);
  }

  private letGo(): number {
    if (this.lock instanceof RLock) return this.lock.releaseAll();
    this.lock.release();
    return 1;
  }

  /**
   * Releases the lock, blocks until notified or `timeout` (ms) runs out, takes the lock back. `true`
   * unless the timeout ran out. Workers only: use `waitAsync` on the kernel thread.
   */
  wait(options?: AsyncWaitOptions): boolean {
    this.checkOwned("wait");
    refuseOnKernel("Condition.wait()", "await cond.waitAsync()");
    return runSync(this.waiting(deadlineOf(options?.timeout)));
  }

  /** `wait` without blocking the thread: safe on the kernel thread. */
  async waitAsync(options?: AsyncWaitOptions): Promise<boolean> {
    this.checkOwned("wait");
    return runAsync(this.waiting(deadlineOf(options?.timeout)));
  }

  /** Both waits' steps (wait.ts). */
  private *waiting(deadline: number): Steps<boolean> {
    const seq = Atomics.load(this.words, 0);
    const levels = this.letGo();
    let r: WaitResult | boolean;
    // The sleep is the Condition's wait; taking the lock back after it is the lock's (recorded there if it waits).
    const start = now();
    try {
      r = yield { words: this.words, index: 0, value: seq, deadline };
      recordWait("Condition", this.words[ID]!, start);
    } finally {
      yield { take: this.lock };
      if (this.lock instanceof RLock) this.lock.restore(levels);
    }
    return r !== "timed-out";
  }

  /**
   * Waits until `predicate()` is truthy and returns its last value (falsy when `timeout` ran out), like
   * Python's `wait_for`. Call holding the lock. Workers only: `waitForAsync` on the kernel thread.
   * @example cond.withLock(() => cond.waitFor(() => queueLength.value > 0, { timeout: 500 }));
   */
  waitFor<T>(predicate: () => T, options?: AsyncWaitOptions): T {
    const deadline = deadlineOf(options?.timeout);
    let result = predicate();
    while (!result) {
      const left = remaining(deadline);
      if (left === 0) break;
      this.wait({ timeout: left });
      result = predicate();
    }
    return result;
  }

  /** `waitFor` without blocking the thread. */
  async waitForAsync<T>(predicate: () => T, options?: AsyncWaitOptions): Promise<T> {
    const deadline = deadlineOf(options?.timeout);
    let result = predicate();
    while (!result) {
      const left = remaining(deadline);
      if (left === 0) break;
      await this.waitAsync({ timeout: left });
      result = predicate();
    }
    return result;
  }

  /** Wakes up to `n` waiters (see the class note: maybe a few more). Call holding the lock. */
  notify(n = 1): void {
    this.checkOwned("notify");
    Atomics.add(this.words, 0, 1);
    Atomics.notify(this.words, 0, n);
  }

  /** Wakes every waiter. Call holding the lock. */
  notifyAll(): void {
    this.checkOwned("notify");
    Atomics.add(this.words, 0, 1);
    Atomics.notify(this.words, 0);
  }
}
Object.defineProperty(Condition.prototype, SHARED, { value: "Condition" });
