/**
 * The futex-style three-state mutex every Lanes lock is built on (Drepper, "Futexes Are Tricky",
 * mutex2), over two Int32 words at `base`: the state and the holder's thread id + 1.
 *
 * State: 0 free, 1 locked, 2 locked and maybe waited on (release must wake someone), 3 broken (its
 * holder died: see owners.ts). The uncontended path is one compare-and-swap each way; only the slow
 * path waits. The classic `exchange(state, 2)` is a CAS loop here so it never overwrites "broken".
 */
import { threadId } from "node:worker_threads";
import { LockNotHeldError, LockOwnerDiedError } from "../errors";
import { now } from "../trace/clock";
import { recordWait } from "../trace/wait-log";
import type { WaitKind } from "../wire/mime";
import { announceWaiter } from "./owners";
import { refuseOnKernel, runAsync, runSync, type Steps } from "./wait";

export const FREE = 0;
export const LOCKED = 1;
export const CONTENDED = 2;
export const BROKEN = 3;
/** Words a mutex takes: state, owner. */
export const MUTEX_WORDS = 2;

/** This thread's id as stored in owner words (0 means "none", and the kernel's threadId is 0). */
export const ME = threadId + 1;

function ownerDied(w: Int32Array, base: number, what: string): LockOwnerDiedError {
  const tid = Atomics.load(w, base + 1) - 1;
  return new LockOwnerDiedError(
    `${what} is broken: worker thread ${tid} died while holding it, so what it guarded may be half-updated. ` +
      `Make a new ${what} (and check or rebuild the data it guarded).`,
    tid,
  );
}

/** Sets the state to CONTENDED and returns the state before, or throws when the mutex is broken. */
function markContended(w: Int32Array, base: number, what: string): number {
  for (;;) {
    const c = Atomics.load(w, base);
    if (c === BROKEN) throw ownerDied(w, base, what);
    if (c === CONTENDED || Atomics.compareExchange(w, base, c, CONTENDED) === c) return c;
  }
}

// The owner word is written with plain stores: an Atomics.store is a full fence on x86 and made an
// uncontended acquire + release ~1.5x slower. It is only read by the kernel after the owner thread
// has exited (its writes are visible by then) and by RLock's owner, which is the writing thread.

/** One attempt, never waits. */
export function tryLock(w: Int32Array, base: number, what: string): boolean {
  const c = Atomics.compareExchange(w, base, FREE, LOCKED);
  if (c === FREE) {
    w[base + 1] = ME;
    return true;
  }
  if (c === BROKEN) throw ownerDied(w, base, what);
  return false;
}

/**
 * Where a lock's waits are recorded: its kind, and the index of its id word (see ids.ts) in the
 * same words. Locks without one (a Queue's internal mutex) record nothing.
 */
export interface WaitSite {
  readonly kind: WaitKind;
  readonly idAt: number;
}

function recorded(w: Int32Array, site: WaitSite | undefined, start: number): void {
  if (site !== undefined) recordWait(site.kind, w[site.idAt]!, start);
}

/**
 * The slow path, as steps (wait.ts): marks the mutex contended and waits until it is free, or until
 * `deadline` (false). With a `site`, a wait that really happened is recorded in the wait log (the
 * clock is read only then).
 */
function* contending(w: Int32Array, base: number, deadline: number, what: string, site: WaitSite | undefined): Steps<boolean> {
  let c = markContended(w, base, what);
  if (c !== FREE) {
    // A Queue's internal mutex (no site) is left to the queue: only the Lock family is announced.
    if (site !== undefined) announceWaiter(w, base);
    const start = site === undefined ? 0 : now();
    while (c !== FREE) {
      if ((yield { words: w, index: base, value: CONTENDED, deadline }) === "timed-out") {
        recorded(w, site, start);
        return false;
      }
      c = markContended(w, base, what);
    }
    recorded(w, site, start);
  }
  w[base + 1] = ME;
  return true;
}

/** Takes the mutex (true), or false once `deadline` passes: the steps of one acquisition, for a caller's own steps. */
export function* locking(w: Int32Array, base: number, deadline: number, what: string, site?: WaitSite): Steps<boolean> {
  return tryLock(w, base, what) || (yield* contending(w, base, deadline, what, site));
}

/** Blocks until locked (true) or `deadline` passes (false). Refuses on the kernel thread when it would wait. */
export function lockSync(w: Int32Array, base: number, deadline: number, what: string, call: string, twin: string, site?: WaitSite): boolean {
  if (tryLock(w, base, what)) return true;
  if (deadline !== Infinity && deadline <= performance.now()) return false;
  refuseOnKernel(call, twin);
  return runSync(contending(w, base, deadline, what, site));
}

/** Awaits until locked (true) or `deadline` passes (false); records a real wait at `site` like `lockSync`. */
export async function lockAsync(w: Int32Array, base: number, deadline: number, what: string, site?: WaitSite): Promise<boolean> {
  return tryLock(w, base, what) || runAsync(contending(w, base, deadline, what, site));
}

/** Unlocks, waking one waiter if there may be one. Throws when not locked (or broken). */
export function unlock(w: Int32Array, base: number, what: string): void {
  // Owner first: a thread dying between the two writes must never look like the owner of a lock
  // someone else has just taken (the kernel would break a live lock).
  const owner = w[base + 1]!;
  w[base + 1] = 0;
  if (Atomics.compareExchange(w, base, LOCKED, FREE) === LOCKED) return;
  for (;;) {
    const c = Atomics.load(w, base);
    if (c === FREE) {
      throw new LockNotHeldError(`release of an unlocked ${what}: release only what you acquired (Python raises RuntimeError here)`);
    }
    if (c === BROKEN) {
      w[base + 1] = owner;
      throw ownerDied(w, base, what);
    }
    if (Atomics.compareExchange(w, base, c, FREE) !== c) continue;
    if (c === CONTENDED) Atomics.notify(w, base, 1);
    return;
  }
}

/**
 * Breaks the mutex if thread `tid` holds it: every waiter wakes and throws `LockOwnerDiedError`, as does
 * every later acquire. Called on the kernel thread when a worker exits (owners.ts).
 */
export function breakIfOwnedBy(w: Int32Array, base: number, tid: number): boolean {
  for (;;) {
    const c = Atomics.load(w, base);
    if (c === FREE || c === BROKEN || Atomics.load(w, base + 1) !== tid + 1) return false;
    if (Atomics.compareExchange(w, base, c, BROKEN) === c) {
      Atomics.notify(w, base);
      return true;
    }
  }
}
