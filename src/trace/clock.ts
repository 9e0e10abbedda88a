/**
 * The one clock of every span: wall-clock milliseconds since the epoch with sub-millisecond
 * resolution, read as `performance.timeOrigin + performance.now()`. Each thread has its own
 * `timeOrigin`, but the sum is comparable across threads (it is how src/worker/entry.ts stamps a
 * batch), and within a thread it never goes backwards the way `Date.now()` may when the system
 * clock is adjusted. Uses the global `performance`, so the same file works in workers and browsers.
 */

// Read once: it is constant per thread, and Node's getter costs about as much as `performance.now()`.
// On first use, not when the file loads: Node's global `performance` loads perf_hooks (about 1 ms of a
// new thread's start-up), and a Process thread that receives a Queue loads this file but may never
// read the clock.
let timeOrigin: number | undefined;

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
  return (timeOrigin ??= performance.timeOrigin) + performance.now();
}

/**
 * Node's monotonic clock (`process.hrtime`) in ms: the same clock in every thread of the process, and
 * read without loading perf_hooks, so a new thread can stamp its start cheaply; `fromHrtime` turns the
 * stamp into `now()`'s time on the thread that receives it. Node only.
 */
export function hrtimeMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}

/**
 * An `hrtimeMs()` stamp (taken on any thread of this process) as a `now()` time of this thread.
 *
 * @example
 * const at = fromHrtime(message.hr); // a worker's hrtimeMs(), on the kernel's clock
 */
export function fromHrtime(hr: number): number {
  return now() - (hrtimeMs() - hr);
}

/** A source of time; tests pass a fake one. */
export type Clock = () => number;
