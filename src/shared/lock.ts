import { Holdable } from "./holding";
import { SHARED, type Branded } from "./brand";
import { lockAsync, lockSync, MUTEX_WORDS, tryLock, unlock, FREE, LOCKED, ME, type WaitSite } from "./mutex";
import type { AcquireOptions, AsyncWaitOptions, LockLike } from "./options";
import { deadlineOf } from "./wait";

// After the mutex's two words: the Lock's number (`Lock#3` in timelines), the same in every thread.
const ID = MUTEX_WORDS;
const SITE: WaitSite = { kind: "Lock", idAt: ID };

/**
 * A mutual-exclusion lock over a SharedArrayBuffer, like Python's `multiprocessing.Lock`: one holder at a
 * time across every thread it is shared with (capture it in a worker function, or pass it in `context`).
 * Any thread may release it (as in Python); releasing an unlocked `Lock` throws `LockNotHeldError`.
 *
 * In workers, `acquire()` blocks. On the kernel thread use `await acquireAsync()`: a blocking `acquire`
 * there throws `KernelThreadBlockingError` as soon as it would have to wait.
 *
 * @example
 * const lock = new Lock();
 * await pool.map((i) => lock.withLock(() => counter.value++), items);
 */
export class Lock extends Holdable implements LockLike, Branded {
  declare readonly [SHARED]: "Lock";

  /** Words: the mutex's state and owner, the id. */
  constructor(/** @internal */ shared?: SharedArrayBuffer) {
    super("Lock", MUTEX_WORDS + 1, ID, shared);
  }

  /**
   * Takes the lock; `true` when taken, `false` when `timeout` ran out or `blocking: false` found it held.
   * Blocks: workers only (on the kernel thread it throws once it would wait; use `acquireAsync`).
   * @example if (lock.acquire({ timeout: 50 })) try { … } finally { lock.release(); }
   */
  acquire(options?: AcquireOptions): boolean {
    // The uncontended path, inline: one compare-and-swap.
    if (options?.timeout !== undefined) deadlineOf(options.timeout); // a bad timeout throws even when free, as in Python
    if (Atomics.compareExchange(this.words, 0, FREE, LOCKED) === FREE) {
      this.words[1] = ME;
      return true;
    }
    if (options?.blocking === false) return tryLock(this.words, 0, "Lock");
    return lockSync(this.words, 0, deadlineOf(options?.timeout), "Lock", "Lock.acquire()", "await lock.acquireAsync()", SITE);
  }

  /** Takes the lock without blocking the thread; resolves `false` when `timeout` ran out. */
  acquireAsync(options?: AsyncWaitOptions): Promise<boolean> {
    return lockAsync(this.words, 0, deadlineOf(options?.timeout), "Lock", SITE);
  }

  /** Releases the lock (any thread may). Throws `LockNotHeldError` when it is not locked. */
  release(): void {
    unlock(this.words, 0, "Lock");
  }

  /** Whether some thread holds the lock now. */
  locked(): boolean {
    return Atomics.load(this.words, 0) !== FREE;
  }
}
Object.defineProperty(Lock.prototype, SHARED, { value: "Lock" });
