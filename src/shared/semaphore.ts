import { Holdable } from "./holding";
import { SemaphoreHolderDiedWarning, TooManyReleasesError } from "../errors";
import { SHARED, type Branded } from "./brand";
import type { AcquireOptions, AsyncWaitOptions } from "./options";
import { announceWaiter } from "./owners";
import { BOUND, claimSlot, findSlot, giveBackPermits, ID, NOTICE, SEMAPHORE_WORDS, TABLE_FULL, takeNotice, UNTRACKED, VALUE, WAITERS } from "./permits";
import { deadlineOf, refuseOnKernel, runAsync, runSync, type Steps } from "./wait";
import { now } from "../trace/clock";
import { recordWait } from "../trace/wait-log";

function tryTake(w: Int32Array): boolean {
  for (;;) {
    const v = Atomics.load(w, VALUE);
    if (v <= 0) return false;
    if (Atomics.compareExchange(w, VALUE, v, v - 1) === v) return true;
  }
}

/**
 * A counting semaphore, like Python's `multiprocessing.Semaphore(value)`: `acquire` takes one of `value`
 * permits (waiting while there are none), `release` gives one back. Not owned: any thread may release.
 *
 * A worker that dies holding permits (terminated, `process.exit`, a crash, out of memory) gives them
 * back: the kernel sees it exit, returns what it held and wakes as many waiters, and the next
 * acquirer (in whichever thread) gets one `SemaphoreHolderDiedWarning` (`process.emitWarning`).
 * Why given back, not broken like a `Lock`: a semaphore counts capacity (N downloads, N GPU slots),
 * and the dead worker's share of it is exactly what its permits were; failing every later acquire
 * would turn one dead worker into a failed run. Why a warning, not an error or a flag: `acquire()`
 * keeps meaning "got a permit", while the user still hears once that a holder died mid-section (a
 * `Semaphore(1)` used as a mutex may guard half-written data: use a `Lock` for that, it breaks).
 *
 * Who holds a permit is known only while each release matches an acquire of the same thread (the
 * `withLock` pattern). After a release by a thread holding none (signalling: a producer's release, the
 * kernel opening a `Semaphore(0)`) the semaphore stops giving back, and a dead holder's permits are
 * lost, as in Python. So does a semaphore more than 32 live threads have acquired (permits.ts says why).
 *
 * @example
 * const slots = new Semaphore(2); // at most two workers download at once
 * slots.withLock(() => download(url));
 */
export class Semaphore extends Holdable implements Branded {
  declare readonly [SHARED]: "Semaphore" | "BoundedSemaphore";
  /** This thread's slot in the holder table: -1 not looked for yet, -2 none found by a release, or TABLE_FULL. */
  private slot = -1;

  /**
   * Words: value, bound, waiters, id, then the holder table (permits.ts).
   * @param value initial permits, an integer >= 0 (Python's default 1).
   */
  constructor(value = 1, /** @internal */ shared?: SharedArrayBuffer, bounded = false) {
    if (shared === undefined && (!Number.isInteger(value) || value < 0 || value > 0x7fffffff)) {
      throw new RangeError(`a Semaphore's value must be an integer from 0 to 2^31-1, got ${value}`);
    }
    super(bounded ? "BoundedSemaphore" : "Semaphore", SEMAPHORE_WORDS, ID, shared);
    if (shared === undefined) {
      this.words[VALUE] = value;
      this.words[BOUND] = bounded ? value : -1;
    }
  }

  /** Counts a permit just taken as this thread's; tells of a dead holder once. */
  private took(): true {
    const w = this.words;
    let s = this.slot;
    if (s < 0 && s !== TABLE_FULL) s = this.slot = claimSlot(w);
    if (s >= 0) w[s + 1]!++;
    if (w[NOTICE] !== 0) this.tell();
    return true;
  }

  private tell(): void {
    const notice = takeNotice(this.words);
    if (notice === undefined) return;
    const what = `${this[SHARED]}#${this.id}`;
    process.emitWarning(new SemaphoreHolderDiedWarning(
      `worker thread ${notice.tid} died holding ${notice.permits} permit(s) of ${what}; they were given back. ` +
        "What it did holding them may be unfinished (guard shared data with a Lock: a dead holder breaks it).",
      notice.tid,
      notice.permits,
    ));
  }

  /** Takes a permit; `false` when `timeout` ran out (or `blocking: false` found none). Workers only when it must wait. */
  acquire(options?: AcquireOptions): boolean {
    if (tryTake(this.words)) return this.took();
    if (options?.blocking === false) return false;
    const deadline = deadlineOf(options?.timeout);
    if (deadline !== Infinity && deadline <= performance.now()) return false;
    refuseOnKernel(`${this[SHARED]}.acquire()`, "await semaphore.acquireAsync()");
    return runSync(this.waiting(deadline));
  }

  /** Takes a permit without blocking the thread; resolves `false` when `timeout` ran out. */
  async acquireAsync(options?: AsyncWaitOptions): Promise<boolean> {
    const deadline = deadlineOf(options?.timeout);
    return tryTake(this.words) ? this.took() : runAsync(this.waiting(deadline));
  }

  /** Both acquires' slow path, as steps (wait.ts): waits while no permit is free. */
  private *waiting(deadline: number): Steps<boolean> {
    announceWaiter(this.words, 0, "semaphore");
    Atomics.add(this.words, WAITERS, 1);
    const start = now();
    try {
      for (;;) {
        if ((yield { words: this.words, index: VALUE, value: 0, deadline }) === "timed-out") return tryTake(this.words) && this.took();
        if (tryTake(this.words)) return this.took();
      }
    } finally {
      Atomics.sub(this.words, WAITERS, 1);
      recordWait(this[SHARED], this.words[ID]!, start);
    }
  }

  /** Gives back `n` permits (Python 3.9's `release(n)`), waking up to `n` waiters. */
  release(n = 1): void {
    if (n !== 1 && (!Number.isInteger(n) || n < 1)) throw new RangeError(`release(n) needs an integer n >= 1, got ${n}`);
    const w = this.words;
    const bound = w[BOUND]!;
    // Uncounted first (see permits.ts: dying in between loses the permit, never doubles it).
    // Another object over the same memory in this thread (a second copy of Lanes) may have claimed it.
    const s = this.slot !== -1 ? this.slot : (this.slot = findSlot(w));
    const held = s >= 0 ? w[s + 1]! : 0;
    const mine = held < n ? held : n;
    if (s >= 0) w[s + 1] = held - mine;
    for (;;) {
      const v = Atomics.load(w, VALUE);
      if (bound >= 0 && v + n > bound) {
        if (s >= 0) w[s + 1] = held;
        throw new TooManyReleasesError(`BoundedSemaphore released too many times: ${v} of ${bound} permits are free, releasing ${n} more would exceed its initial value`);
      }
      if (Atomics.compareExchange(w, VALUE, v, v + n) === v) break;
    }
    // Only a release that happened makes holders unknowable: a refused over-release gave nothing.
    if (mine < n && w[UNTRACKED] === 0) Atomics.store(w, UNTRACKED, 1);
    if (Atomics.load(w, WAITERS) > 0) Atomics.notify(w, VALUE, n);
  }

  /** @internal On the kernel, after thread `tid` exited (owners.ts): gives back the permits it held. */
  recover(tid: number): boolean {
    return giveBackPermits(this.words, tid);
  }

  /** Permits free now (a snapshot; Python's `get_value()`). */
  getValue(): number {
    return Atomics.load(this.words, VALUE);
  }
}
Object.defineProperty(Semaphore.prototype, SHARED, { value: "Semaphore" });

/**
 * A `Semaphore` that refuses to be released above its initial value (`TooManyReleasesError`), like
 * Python's `BoundedSemaphore`: it catches a release without a matching acquire.
 * @example const pool = new BoundedSemaphore(4);
 */
export class BoundedSemaphore extends Semaphore {
  declare readonly [SHARED]: "BoundedSemaphore";

  constructor(value = 1, /** @internal */ shared?: SharedArrayBuffer) {
    super(value, shared, true);
  }
}
Object.defineProperty(BoundedSemaphore.prototype, SHARED, { value: "BoundedSemaphore" });
