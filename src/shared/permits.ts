/**
 * A Semaphore's memory, and the table of who holds its permits, so the kernel can give back the
 * permits of a worker that died holding them (owners.ts calls `giveBackPermits` on every worker exit).
 *
 * The table: `SLOTS` slots of (thread id + 1, permits it holds now), in the semaphore's own memory.
 * A thread claims a slot with one compare-and-swap on its first acquire and keeps it until it exits
 * (the kernel frees it then); after that, acquire and release add and subtract in it with plain
 * writes (only that thread writes its count, and the kernel reads it only after the thread exited).
 * The uncontended path so costs one plain read and one plain write more each way.
 *
 * Who holds a permit is defined only while every release matches an acquire of the same thread
 * (`withLock`, acquire … release in one worker: a semaphore guarding N slots of something). A release
 * by a thread holding none (a producer signalling a consumer, the kernel opening a `Semaphore(0)`, a
 * permit handed to another thread to give back) makes the holders unknowable: the semaphore is marked
 * untracked for good and dead holders' permits are lost from then on, as in Python. Giving back the
 * permits a signalled consumer "holds" would invent permits, which is worse than losing one.
 *
 * Ordering: acquire counts a permit after taking it, release uncounts it before giving it back, so a
 * thread dying between the two steps loses that permit (the old behaviour), never doubles one.
 *
 * When the table is full (more than `SLOTS` live threads have acquired it), the thread that found no
 * slot marks the semaphore untracked too: its permits could not be told apart from foreign releases.
 */
import { ME } from "./mutex";

export const VALUE = 0;
export const BOUND = 1; // -1: unbounded
// Threads in the slow path: release skips Atomics.notify (costly even with nobody waiting) when 0.
// A waiter counts itself before it re-checks the value inside Atomics.wait, so a release that read 0
// made its change before that check: the waiter sees it and does not sleep.
export const WAITERS = 2;
// Its number in timelines (`Semaphore#1`), the same in every thread.
export const ID = 3;
/** 1 once a release matched no acquire of its thread, or a thread found the table full: no recovery. */
export const UNTRACKED = 4;
/** The last recovery not yet told to an acquirer: the dead thread's id + 1, and the permits given back. */
export const NOTICE = 5;
const NOTICE_PERMITS = 6;
const TABLE = 8;
/** Threads whose permits are tracked at once. */
export const SLOTS = 32;
const END = TABLE + 2 * SLOTS;
/** Int32 words a Semaphore takes (288 bytes). */
export const SEMAPHORE_WORDS = END;

/** What `claimSlot` returns when the table is full (the semaphore is then untracked: no point in trying again). */
export const TABLE_FULL = -3;

/**
 * The index of this thread's slot (its id word; its count is the next word), claiming a free one if
 * it has none. `TABLE_FULL` when the table is full: the semaphore is then marked untracked.
 */
export function claimSlot(w: Int32Array): number {
  const mine = findSlot(w);
  if (mine >= 0) return mine;
  // Another thread may take a free slot between a load and the CAS: try each in turn.
  for (let s = TABLE; s < END; s += 2) {
    if (Atomics.compareExchange(w, s, 0, ME) === 0) return s;
  }
  if (Atomics.load(w, UNTRACKED) === 0) Atomics.store(w, UNTRACKED, 1);
  return TABLE_FULL;
}

/** The index of this thread's slot, -2 when it has none (it claims none). */
export function findSlot(w: Int32Array): number {
  for (let s = TABLE; s < END; s += 2) if (Atomics.load(w, s) === ME) return s;
  return -2;
}

/**
 * On the kernel, after thread `tid` exited: frees its slot and gives the permits it held back (never
 * above a BoundedSemaphore's bound), waking as many waiters, and leaves a notice for the next acquirer.
 * Returns whether any permit was given back.
 */
export function giveBackPermits(w: Int32Array, tid: number): boolean {
  for (let s = TABLE; s < END; s += 2) {
    if (Atomics.load(w, s) !== tid + 1) continue;
    // The dead thread's plain writes are visible: it has exited.
    const held = w[s + 1]!;
    w[s + 1] = 0;
    Atomics.store(w, s, 0);
    if (held <= 0 || Atomics.load(w, UNTRACKED) !== 0) return false;
    const given = addPermits(w, held);
    if (given === 0) return false;
    // The notice is left before the wake-up, so the waiter that takes a returned permit sees it.
    Atomics.add(w, NOTICE_PERMITS, given);
    Atomics.store(w, NOTICE, tid + 1);
    if (Atomics.load(w, WAITERS) > 0) Atomics.notify(w, VALUE, given);
    return true;
  }
  return false;
}

/** Adds up to `n` permits, never above the bound (consistent counts never reach it). Returns how many. */
function addPermits(w: Int32Array, n: number): number {
  const bound = w[BOUND]!;
  for (;;) {
    const v = Atomics.load(w, VALUE);
    const add = bound >= 0 ? Math.min(n, bound - v) : n;
    if (add <= 0) return 0;
    if (Atomics.compareExchange(w, VALUE, v, v + add) === v) return add;
  }
}

/** The thread ids (not + 1) of every slot in use: the kernel checks them against threads that already exited. */
export function holdersOf(w: Int32Array): number[] {
  const tids: number[] = [];
  for (let s = TABLE; s < END; s += 2) {
    const t = Atomics.load(w, s);
    if (t !== 0) tids.push(t - 1);
  }
  return tids;
}

/** Takes the pending notice, once across every thread: the dead thread's id and the permits given back, or undefined. */
export function takeNotice(w: Int32Array): { tid: number; permits: number } | undefined {
  const t = Atomics.exchange(w, NOTICE, 0);
  if (t === 0) return undefined;
  return { tid: t - 1, permits: Atomics.exchange(w, NOTICE_PERMITS, 0) };
}
