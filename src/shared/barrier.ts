import { markSharedInUse } from "./in-use";
import { runInThisContext } from "node:vm";
import { BrokenBarrierError } from "../errors";
import { SHARED, type Branded } from "./brand";
import { locking, lockSync, unlock } from "./mutex";
import type { AsyncWaitOptions } from "./options";
import { watchMutex } from "./owners";
import { deadlineOf, refuseOnKernel, runAsync, runSync, type Steps } from "./wait";
import { now } from "../trace/clock";
import { nextObjectId, recordWait } from "../trace/wait-log";

// words: an internal mutex (0, 1), then the barrier's own state.
const COUNT = 2;
const GEN = 3;
const BROKEN = 4;
const PARTIES = 5;
// How each generation ended (1 = aborted or reset, 0 = tripped), in a ring: a waiter woken by the
// generation moving on reads here whether to return or throw.
const OUTCOME = 6;
const RING = 64;
// Its number in timelines (`Barrier#1`), the same in every thread.
const ID = OUTCOME + RING;
const WORDS = ID + 1;

/** Options of `new Barrier(parties, options)`. */
export interface BarrierOptions {
  /**
   * Called by the last thread to arrive, before any thread is released (as in Python). It runs in
   * whichever thread arrives last, so in a worker it is rebuilt from its source text: it must be
   * self-contained (use no variables from around it). If it throws, the barrier breaks.
   * @default undefined
   * @example new Barrier(4, { action: () => console.log("all four arrived") })
   */
  action?: (() => void) | undefined;
  /**
   * Default timeout (ms) of every `wait` that gives none. A wait that times out breaks the barrier.
   * @default undefined (wait forever)
   * @example new Barrier(2, { timeout: 5_000 })
   */
  timeout?: number | undefined;
}

/**
 * A barrier for a fixed number of threads, like Python's `multiprocessing.Barrier(parties, action,
 * timeout)`: each `wait` blocks until `parties` threads are waiting, then all are released together and
 * the barrier is ready for the next round. `wait` returns the arrival index, 0 to `parties - 1`.
 * `abort()` breaks it (waiters and later `wait`s throw `BrokenBarrierError`); `reset()` makes it whole
 * again (threads waiting then throw `BrokenBarrierError`).
 *
 * @example
 * const b = new Barrier(2);
 * await pool.map((i) => { stepOne(i); b.wait(); stepTwo(i); }, [0, 1]);
 */
export class Barrier implements Branded {
  declare readonly [SHARED]: "Barrier";
  /** @internal */
  readonly words: Int32Array;
  /** @internal */
  readonly base = 0;
  /** @internal the action's source, for the transfer handler */
  readonly actionSource: string | undefined;
  private action: (() => void) | undefined;
  readonly timeout: number | undefined;

  constructor(parties: number, options?: BarrierOptions, /** @internal */ shared?: SharedArrayBuffer) {
    markSharedInUse();
    this.action = options?.action;
    this.actionSource = this.action === undefined ? undefined : String(this.action);
    this.timeout = options?.timeout;
    if (options?.timeout !== undefined) deadlineOf(options.timeout); // validates
    if (shared) {
      this.words = new Int32Array(shared);
    } else {
      if (!Number.isInteger(parties) || parties < 1) throw new RangeError(`a Barrier needs an integer number of parties >= 1, got ${parties}`);
      this.words = new Int32Array(new SharedArrayBuffer(WORDS * 4));
      this.words[PARTIES] = parties;
      this.words[ID] = nextObjectId("Barrier");
    }
    watchMutex(this);
  }

  /** @internal rebuilds an action shipped as source text (in a worker) */
  static revive(shared: SharedArrayBuffer, actionSource: string | undefined, timeout: number | undefined): Barrier {
    const b = new Barrier(0, { timeout }, shared);
    if (actionSource !== undefined) {
      (b as { actionSource: string | undefined }).actionSource = actionSource;
      let fn: (() => void) | undefined;
      b.action = () => (fn ??= runInThisContext(`(${actionSource})`, { filename: "lanes-barrier-action.js" }) as () => void)();
    }
    return b;
  }

  /** Its number in timelines (`Barrier#1`), the same in every thread. */
  get id(): number {
    return this.words[ID]!;
  }

  get parties(): number {
    return this.words[PARTIES]!;
  }

  /** Threads waiting now. */
  get nWaiting(): number {
    return Atomics.load(this.words, COUNT);
  }

  get broken(): boolean {
    return Atomics.load(this.words, BROKEN) === 1;
  }

  /** With the internal mutex held: ends the current generation as aborted, `broken` as given. */
  private endGeneration(broken: boolean): void {
    const gen = this.words[GEN]!;
    this.words[OUTCOME + (gen & (RING - 1))] = 1;
    Atomics.store(this.words, COUNT, 0);
    Atomics.store(this.words, BROKEN, broken ? 1 : 0);
    Atomics.store(this.words, GEN, (gen + 1) | 0);
    Atomics.notify(this.words, GEN);
  }

  /**
   * With the mutex held: arrives. Returns the arrival index and, when this thread must wait, the
   * generation to wait on (else null: it tripped the barrier).
   */
  private arrive(): [number, number | null] {
    if (this.words[BROKEN] === 1) throw this.brokenError();
    const gen = this.words[GEN]!;
    const index = this.words[COUNT]!;
    if (index < this.parties - 1) {
      Atomics.store(this.words, COUNT, index + 1);
      return [index, gen];
    }
    try {
      this.action?.();
    } catch (error) {
      this.endGeneration(true);
      throw error;
    }
    this.words[OUTCOME + (gen & (RING - 1))] = 0;
    Atomics.store(this.words, COUNT, 0);
    Atomics.store(this.words, GEN, (gen + 1) | 0);
    Atomics.notify(this.words, GEN);
    return [index, null];
  }

  /** After the generation moved on: the index, or the error when it ended broken. */
  private settle(index: number, gen: number): number {
    if (this.words[OUTCOME + (gen & (RING - 1))] === 1) throw this.brokenError();
    return index;
  }

  private brokenError(): BrokenBarrierError {
    return new BrokenBarrierError("the Barrier is broken (aborted, reset while threads waited, a wait timed out, or its action threw): call reset() to use it again");
  }

  /**
   * Waits until `parties` threads wait, returns this thread's arrival index. Throws `BrokenBarrierError`
   * when the barrier is or becomes broken; a timeout (ms) breaks it. Workers only: `waitAsync` on the kernel.
   */
  wait(options?: AsyncWaitOptions): number {
    const deadline = deadlineOf(options?.timeout ?? this.timeout);
    refuseOnKernel("Barrier.wait()", "await barrier.waitAsync()");
    return runSync(this.waiting(deadline));
  }

  /** `wait` without blocking the thread: safe on the kernel thread. */
  async waitAsync(options?: AsyncWaitOptions): Promise<number> {
    return runAsync(this.waiting(deadlineOf(options?.timeout ?? this.timeout)));
  }

  /** Both waits' steps (wait.ts): arrive under the internal mutex, then wait for the generation to move on. */
  private *waiting(deadline: number): Steps<number> {
    yield* locking(this.words, 0, Infinity, "Barrier");
    let index: number, gen: number | null;
    try {
      [index, gen] = this.arrive();
    } finally {
      unlock(this.words, 0, "Barrier");
    }
    if (gen === null) return index;
    const start = Atomics.load(this.words, GEN) === gen ? now() : NaN;
    while (Atomics.load(this.words, GEN) === gen) {
      if ((yield { words: this.words, index: GEN, value: gen, deadline }) === "timed-out") {
        yield* locking(this.words, 0, Infinity, "Barrier");
        try {
          if (this.words[GEN] === gen) this.endGeneration(true);
        } finally {
          unlock(this.words, 0, "Barrier");
        }
      }
    }
    if (!Number.isNaN(start)) recordWait("Barrier", this.words[ID]!, start);
    return this.settle(index, gen);
  }

  /** Breaks the barrier: every waiter, and every later `wait` until `reset()`, throws `BrokenBarrierError`. */
  abort(): void {
    this.locked(() => this.endGeneration(true));
  }

  /** Makes the barrier whole and empty again; threads waiting now throw `BrokenBarrierError`. */
  reset(): void {
    this.locked(() => this.endGeneration(false));
  }

  // abort/reset hold the internal mutex for a few stores only: a short spin is fine even on the kernel thread.
  private locked(fn: () => void): void {
    while (!lockSpin(this.words)) { /* the holder is inside arrive(): microseconds */ }
    try {
      fn();
    } finally {
      unlock(this.words, 0, "Barrier");
    }
  }

  /** @internal */
  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }
}
Object.defineProperty(Barrier.prototype, SHARED, { value: "Barrier" });

function lockSpin(w: Int32Array): boolean {
  return lockSync(w, 0, 0, "Barrier", "Barrier.abort()", "Barrier.abort()");
}
