/**
 * The one clock of every span: wall-clock milliseconds since the epoch with sub-millisecond
 * resolution, read as `performance.timeOrigin + performance.now()`. Each thread has its own
 * `timeOrigin`, but the sum is comparable across threads (it is how src/worker/entry.ts stamps a
 * batch), and within a thread it never goes backwards the way `Date.now()` may when the system
 * clock is adjusted. Uses the global `performance`, so the same file works in workers and browsers.
 */

// Read once: it is constant per thread, and Node's getter costs about as much as `performance.now()`.
const timeOrigin = performance.timeOrigin;

/**
 * Current time in ms since the epoch, sub-millisecond, monotonic within a thread and comparable
 * between the kernel thread and its workers.
 *
 * @example
 * const t0 = now();
 * work();
 * console.log(`${(now() - t0).toFixed(3)} ms`);
 */
export function now(): number {
  return timeOrigin + performance.now();
}

/** A source of time; tests pass a fake one. */
export type Clock = () => number;
