/** Options of a blocking `acquire` (workers only). */
export interface AcquireOptions {
  /**
   * `false`: try once and return at once (allowed on the kernel thread too), like Python's `blocking=False`.
   * @default true
   * @example lock.acquire({ blocking: false }) // true if it got the lock
   */
  blocking?: boolean;
  /**
   * Milliseconds to wait at most; then `acquire` returns `false`. (Python counts seconds.)
   * @default undefined (wait forever)
   * @example lock.acquire({ timeout: 100 })
   */
  timeout?: number;
}

/** Options of an awaitable wait (`acquireAsync`, `waitAsync` …), safe on the kernel thread. */
export interface AsyncWaitOptions {
  /**
   * Milliseconds to wait at most. (Python counts seconds.)
   * @default undefined (wait forever)
   * @example await lock.acquireAsync({ timeout: 1_000 })
   */
  timeout?: number;
}

/** What every Lanes lock (`Lock`, `RLock`) offers; a `Condition` or a `Value` can use either. */
export interface LockLike {
  acquire(options?: AcquireOptions): boolean;
  acquireAsync(options?: AsyncWaitOptions): Promise<boolean>;
  release(): void;
  withLock<R>(fn: () => R): R;
  withLockAsync<R>(fn: () => R | PromiseLike<R>): Promise<R>;
}
