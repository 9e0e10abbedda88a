/**
 * `withLock` / `withLockAsync` of every lock (Lock, RLock, Semaphore): take it, run `fn`, give it back
 * even when `fn` throws.
 */
export function holding<R>(lock: { acquire(): unknown; release(): void }, fn: () => R): R {
  lock.acquire();
  try {
    return fn();
  } finally {
    lock.release();
  }
}

export async function holdingAsync<R>(lock: { acquireAsync(): Promise<unknown>; release(): void }, fn: () => R | PromiseLike<R>): Promise<R> {
  await lock.acquireAsync();
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
