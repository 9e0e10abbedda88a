import { Holdable } from "./holding";
import { LockNotHeldError } from "../errors";
import { SHARED, type Branded } from "./brand";
import { FREE, LOCKED, lockAsync, lockSync, ME, MUTEX_WORDS, tryLock, unlock, type WaitSite } from "./mutex";
import type { AcquireOptions, AsyncWaitOptions, LockLike } from "./options";
import { deadlineOf } from "./wait";

const COUNT = MUTEX_WORDS;
// The RLock's number (`RLock#2` in timelines), the same in every thread.
const ID = MUTEX_WORDS + 1;
const SITE: WaitSite = { kind: "RLock", idAt: ID };

/**
 * A re-entrant lock, like Python's `multiprocessing.RLock`: the thread holding it may acquire it again
 * (it must release it as many times); only that thread may release it (another thread's `release`
 * throws `LockNotHeldError`). Threads are told apart by `threadId`.
 *
 * On the kernel thread every async function runs on the same thread, so an RLock held by one of them
 * counts as held by all (as in Python, where ownership is per thread too): use a `Lock` to keep
 * concurrent async functions on the kernel apart.
 *
 * @example
 * const rlock = new RLock();
 * rlock.withLock(() => rlock.withLock(() => work())); // in a worker: no deadlock
 */
export class RLock extends Holdable implements LockLike, Branded {
  declare readonly [SHARED]: "RLock";

  /** Words: the mutex's state and owner, the recursion count, the id. */
  constructor(/** @internal */ shared?: SharedArrayBuffer) {
    super("RLock", MUTEX_WORDS + 2, ID, shared);
  }

  /** Whether this thread holds it. */
  isOwned(): boolean {
    // A plain read: only this thread ever writes ME into the owner word.
    return this.words[1] === ME;
  }

  /** Takes it (again, when this thread holds it already). Blocks: workers only; `acquireAsync` on the kernel. */
  acquire(options?: AcquireOptions): boolean {
    if (this.isOwned()) {
      this.words[COUNT]!++;
      return true;
    }
    if (options?.timeout !== undefined) deadlineOf(options.timeout); // a bad timeout throws even when free, as in Python
    if (Atomics.compareExchange(this.words, 0, FREE, LOCKED) === FREE) {
      this.words[1] = ME;
      this.words[COUNT] = 1;
      return true;
    }
    const got = options?.blocking === false
      ? tryLock(this.words, 0, "RLock")
      : lockSync(this.words, 0, deadlineOf(options?.timeout), "RLock", "RLock.acquire()", "await rlock.acquireAsync()", SITE);
    if (got) this.words[COUNT] = 1;
    return got;
  }

  /** Takes it without blocking the thread; resolves `false` when `timeout` ran out. */
  async acquireAsync(options?: AsyncWaitOptions): Promise<boolean> {
    if (this.isOwned()) {
      this.words[COUNT]!++;
      return true;
    }
    const got = await lockAsync(this.words, 0, deadlineOf(options?.timeout), "RLock", SITE);
    if (got) this.words[COUNT] = 1;
    return got;
  }

  /** Releases one level; the last one frees it. Throws `LockNotHeldError` unless this thread holds it. */
  release(): void {
    if (!this.isOwned()) {
      const owner = Atomics.load(this.words, 1);
      throw new LockNotHeldError(
        owner === 0
          ? "release of an RLock nobody holds: release only what you acquired"
          : `release of an RLock held by thread ${owner - 1} (this is thread ${ME - 1}): only the thread that acquired an RLock may release it`,
      );
    }
    // Only the owner touches the count, so plain reads and writes are enough.
    if (--this.words[COUNT]! > 0) return;
    unlock(this.words, 0, "RLock");
  }

  /** @internal Releases every level at once (Condition.wait), returning how many to restore. */
  releaseAll(): number {
    const n = this.words[COUNT]!;
    this.words[COUNT] = 1;
    this.release();
    return n;
  }

  /** @internal Restores the levels `releaseAll` returned, after re-acquiring. */
  restore(levels: number): void {
    this.words[COUNT] = levels;
  }
}
Object.defineProperty(RLock.prototype, SHARED, { value: "RLock" });
