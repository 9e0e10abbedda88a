import { markSharedInUse } from "./in-use";
import { SHARED, type Branded } from "./brand";
import type { AsyncWaitOptions } from "./options";
import { deadlineOf, refuseOnKernel, waitOn, waitSync } from "./wait";
import { now } from "../trace/clock";
import { nextObjectId, recordWait } from "../trace/wait-log";

// Word 1: its number in timelines (`Event#2`), the same in every thread.
const ID = 1;

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
  /** @internal the flag, the id */
  readonly words: Int32Array;

  constructor(/** @internal */ shared?: SharedArrayBuffer) {
    markSharedInUse();
    this.words = new Int32Array(shared ?? new SharedArrayBuffer(8));
    if (shared === undefined) this.words[ID] = nextObjectId("Event");
  }

  /** Its number in timelines (`Event#2`), the same in every thread. */
  get id(): number {
    return this.words[ID]!;
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
    const start = now();
    try {
      while (!this.isSet()) {
        if (waitSync(this.words, 0, 0, deadline) === "timed-out") return this.isSet();
      }
      return true;
    } finally {
      recordWait("Event", this.words[ID]!, start);
    }
  }

  /** Awaits the flag without blocking the thread; resolves `false` when `timeout` ran out. */
  async waitAsync(options?: AsyncWaitOptions): Promise<boolean> {
    const deadline = deadlineOf(options?.timeout);
    if (this.isSet()) return true;
    const start = now();
    try {
      while (!this.isSet()) {
        if ((await waitOn(this.words, 0, 0, deadline)) === "timed-out") return this.isSet();
      }
      return true;
    } finally {
      recordWait("Event", this.words[ID]!, start);
    }
  }

  /** @internal */
  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }
}
Object.defineProperty(Event.prototype, SHARED, { value: "Event" });
