/**
 * What every lock (Lock, RLock, Semaphore) has beside its own acquire and release: its memory, made
 * here or received, its number in timelines, and `withLock` / `withLockAsync` (take it, run `fn`, give
 * it back even when `fn` throws).
 */
import type { WaitKind } from "../wire/mime";
import { nextObjectId } from "../trace/wait-log";
import { markSharedInUse } from "./in-use";
import type { AcquireOptions, AsyncWaitOptions } from "./options";
import { watchMutex } from "./owners";

export abstract class Holdable {
  /** @internal its words (each class lays them out) */
  readonly words: Int32Array;
  /** @internal where its mutex (if any) starts, for owners.ts */
  readonly base = 0;

  /**
   * Over `shared` (received) or new memory of `size` words whose word `idAt` gets the next number of
   * `kind`. The kernel watches it for a holder that dies (owners.ts).
   */
  protected constructor(kind: WaitKind, size: number, private readonly idAt: number, shared?: SharedArrayBuffer) {
    markSharedInUse();
    this.words = new Int32Array(shared ?? new SharedArrayBuffer(size * 4));
    if (shared === undefined) this.words[idAt] = nextObjectId(kind);
    watchMutex(this);
  }

  abstract acquire(options?: AcquireOptions): boolean;
  abstract acquireAsync(options?: AsyncWaitOptions): Promise<boolean>;
  abstract release(): void;

  /** Its number in timelines (`Lock#3`): 1, 2, 3 … in the order those of its kind were made, the same in every thread. */
  get id(): number {
    return this.words[this.idAt]!;
  }

  /** Runs `fn` holding it and releases it after, even when `fn` throws. Workers only (blocks). */
  withLock<R>(fn: () => R): R {
    this.acquire();
    try {
      return fn();
    } finally {
      this.release();
    }
  }

  /** Awaits it, runs `fn` (sync or async) holding it, releases it after. Safe on the kernel thread. */
  async withLockAsync<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    await this.acquireAsync();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** @internal the memory behind it, for the transfer handler */
  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }
}
