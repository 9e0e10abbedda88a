import { markSharedInUse } from "./in-use";
import { SHARED, type Branded } from "./brand";
import type { AsyncWaitOptions } from "./options";
import { deadlineOf, refuseOnKernel, waitOn, waitSync } from "./wait";

/**
 * A flag threads wait on, like Python's `multiprocessing.Event`: `set()` wakes every waiter, `clear()`
 * lowers it again, `wait()` returns at once while it is set.
 *
 * @example
 * const go = new Event();
 * const run = pool.map((i) => { go.wait(); return work(i); }, items);
 * go.set();
 */
export class Event implements Branded {
  declare readonly [SHARED]: "Event";
  /** @internal the flag */
  readonly words: Int32Array;

  constructor(/** @internal */ shared?: SharedArrayBuffer) {
    markSharedInUse();
    this.words = new Int32Array(shared ?? new SharedArrayBuffer(4));
  }

  isSet(): boolean {
    return Atomics.load(this.words, 0) === 1;
  }

  /** Raises the flag and wakes every waiter. */
  set(): void {
    Atomics.store(this.words, 0, 1);
    Atomics.notify(this.words, 0);
  }

  clear(): void {
    Atomics.store(this.words, 0, 0);
  }

  /**
   * Blocks until the flag is set; `false` when `timeout` (ms) ran out first. Workers only (on the kernel
   * thread it throws unless the flag is already set: use `waitAsync`).
   * @example if (!done.wait({ timeout: 1_000 })) console.log("still running");
   */
  wait(options?: AsyncWaitOptions): boolean {
    if (this.isSet()) return true;
    const deadline = deadlineOf(options?.timeout);
    if (deadline !== Infinity && deadline <= performance.now()) return false;
    refuseOnKernel("Event.wait()", "await event.waitAsync()");
    while (!this.isSet()) {
      if (waitSync(this.words, 0, 0, deadline) === "timed-out") return this.isSet();
    }
    return true;
  }

  /** Awaits the flag without blocking the thread; resolves `false` when `timeout` ran out. */
  async waitAsync(options?: AsyncWaitOptions): Promise<boolean> {
    const deadline = deadlineOf(options?.timeout);
    while (!this.isSet()) {
      if ((await waitOn(this.words, 0, 0, deadline)) === "timed-out") return this.isSet();
    }
    return true;
  }

  /** @internal */
  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }
}
Object.defineProperty(Event.prototype, SHARED, { value: "Event" });
