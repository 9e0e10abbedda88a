import { holding, holdingAsync } from "./holding";
import { markSharedInUse } from "./in-use";
import { TooManyReleasesError } from "../errors";
import { SHARED, type Branded } from "./brand";
import type { AcquireOptions, AsyncWaitOptions } from "./options";
import { deadlineOf, refuseOnKernel, waitOn, waitSync } from "./wait";
import { now } from "../trace/clock";
import { nextObjectId, recordWait } from "../trace/wait-log";

const VALUE = 0;
const BOUND = 1; // -1: unbounded
// Threads in the slow path: release skips Atomics.notify (costly even with nobody waiting) when 0.
// A waiter counts itself before it re-checks the value inside Atomics.wait, so a release that read 0
// made its change before that check: the waiter sees it and does not sleep.
const WAITERS = 2;
// Its number in timelines (`Semaphore#1`), the same in every thread.
const ID = 3;

function tryTake(w: Int32Array): boolean {
  for (;;) {
    const v = Atomics.load(w, VALUE);
    if (v <= 0) return false;
    if (Atomics.compareExchange(w, VALUE, v, v - 1) === v) return true;
  }
}

/**
 * A counting semaphore, like Python's `multiprocessing.Semaphore(value)`: `acquire` takes one of `value`
 * permits (waiting while there are none), `release` gives one back. Not owned: any thread may release.
 *
 * Not watched for dead holders (unlike `Lock`/`RLock`): a worker that dies holding a permit keeps it,
 * and the semaphore has one permit fewer from then on. Why: a permit has no owner. Any thread may
 * release (a producer releasing what a consumer acquired is the classic use), so "the permits thread
 * T holds" is not defined, and counting them per thread would cost every acquire and release two
 * more atomic operations. Python's `multiprocessing.Semaphore` (a POSIX semaphore) does not recover
 * either. If workers may die mid-section, guard the section with a `Lock`, or `release()` the lost
 * permit from the kernel once you know its holder is gone.
 *
 * @example
 * const slots = new Semaphore(2); // at most two workers download at once
 * slots.withLock(() => download(url));
 */
export class Semaphore implements Branded {
  declare readonly [SHARED]: "Semaphore" | "BoundedSemaphore";
  /** @internal value, bound, waiters, id */
  readonly words: Int32Array;

  /** @param value initial permits, an integer >= 0 (Python's default 1). */
  constructor(value = 1, /** @internal */ shared?: SharedArrayBuffer, bounded = false) {
    markSharedInUse();
    if (shared) {
      this.words = new Int32Array(shared);
      return;
    }
    if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
      throw new RangeError(`a Semaphore's value must be an integer from 0 to 2^31-1, got ${value}`);
    }
    this.words = new Int32Array(new SharedArrayBuffer(16));
    this.words[ID] = nextObjectId(bounded ? "BoundedSemaphore" : "Semaphore");
    this.words[VALUE] = value;
    this.words[BOUND] = bounded ? value : -1;
  }

  /** Takes a permit; `false` when `timeout` ran out (or `blocking: false` found none). Workers only when it must wait. */
  acquire(options?: AcquireOptions): boolean {
    if (tryTake(this.words)) return true;
    if (options?.blocking === false) return false;
    const deadline = deadlineOf(options?.timeout);
    if (deadline !== Infinity && deadline <= performance.now()) return false;
    refuseOnKernel(`${this[SHARED]}.acquire()`, "await semaphore.acquireAsync()");
    Atomics.add(this.words, WAITERS, 1);
    const start = now();
    try {
      for (;;) {
        if (waitSync(this.words, VALUE, 0, deadline) === "timed-out") return tryTake(this.words);
        if (tryTake(this.words)) return true;
      }
    } finally {
      Atomics.sub(this.words, WAITERS, 1);
      recordWait(this[SHARED], this.words[ID]!, start);
    }
  }

  /** Takes a permit without blocking the thread; resolves `false` when `timeout` ran out. */
  async acquireAsync(options?: AsyncWaitOptions): Promise<boolean> {
    const deadline = deadlineOf(options?.timeout);
    if (tryTake(this.words)) return true;
    Atomics.add(this.words, WAITERS, 1);
    const start = now();
    try {
      for (;;) {
        if ((await waitOn(this.words, VALUE, 0, deadline)) === "timed-out") return tryTake(this.words);
        if (tryTake(this.words)) return true;
      }
    } finally {
      Atomics.sub(this.words, WAITERS, 1);
      recordWait(this[SHARED], this.words[ID]!, start);
    }
  }

  /** Gives back `n` permits (Python 3.9's `release(n)`), waking up to `n` waiters. */
  release(n = 1): void {
    if (n !== 1 && (!Number.isInteger(n) || n < 1)) throw new RangeError(`release(n) needs an integer n >= 1, got ${n}`);
    const bound = this.words[BOUND]!;
    for (;;) {
      const v = Atomics.load(this.words, VALUE);
      if (bound >= 0 && v + n > bound) {
        throw new TooManyReleasesError(`BoundedSemaphore released too many times: ${v} of ${bound} permits are free, releasing ${n} more would exceed its initial value`);
      }
      if (Atomics.compareExchange(this.words, VALUE, v, v + n) === v) break;
    }
    if (Atomics.load(this.words, WAITERS) > 0) Atomics.notify(this.words, VALUE, n);
  }

  /** Permits free now (a snapshot; Python's `get_value()`). */
  getValue(): number {
    return Atomics.load(this.words, VALUE);
  }

  /** Its number in timelines (`Semaphore#1`), the same in every thread. */
  get id(): number {
    return this.words[ID]!;
  }

  /** Runs `fn` holding a permit. Workers only (blocks). */
  withLock<R>(fn: () => R): R {
    return holding(this, fn);
  }

  /** Awaits a permit, runs `fn` holding it. Safe on the kernel thread. */
  withLockAsync<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    return holdingAsync(this, fn);
  }

  /** @internal */
  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }
}
Object.defineProperty(Semaphore.prototype, SHARED, { value: "Semaphore" });

/**
 * A `Semaphore` that refuses to be released above its initial value (`TooManyReleasesError`), like
 * Python's `BoundedSemaphore`: it catches a release without a matching acquire.
 * @example const pool = new BoundedSemaphore(4);
 */
export class BoundedSemaphore extends Semaphore {
  declare readonly [SHARED]: "BoundedSemaphore";

  constructor(value = 1, /** @internal */ shared?: SharedArrayBuffer) {
    super(value, shared, true);
  }
}
Object.defineProperty(BoundedSemaphore.prototype, SHARED, { value: "BoundedSemaphore" });
