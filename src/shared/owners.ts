/**
 * Dead owners. A worker that exits while holding a lock leaves its word locked forever (Python's
 * multiprocessing never recovers either). The kernel thread sees every worker it starts exit (Node's
 * `process` "worker" event), and every mutex the kernel knows of (made or received there) is checked
 * then: one held by the dead thread is broken, which wakes its waiters with `LockOwnerDiedError`.
 *
 * Why broken rather than handed on: the dead worker stopped mid-critical-section, so the data the lock
 * guards may be half-written. POSIX robust mutexes hand the lock on with EOWNERDEAD and trust the next
 * owner to repair; a notebook user rarely can, and a silently wrong total is worse than an error.
 *
 * Mutexes the kernel never saw (made in a worker and passed only between workers) are announced to
 * it by the first thread that has to wait on one (`announceWaiter`, on the slow path only: the
 * uncontended path and making a lock stay as cheap as before). The announcement is a
 * BroadcastChannel message; it may arrive after the owner's exit, so the kernel remembers which
 * threads exited and breaks an announced mutex whose owner is among them at once. A mutex no thread
 * ever waits on needs no breaking.
 *
 * Limits: workers started by other workers are not watched (the kernel never sees them start).
 * Semaphores are not watched either (semaphore.ts says why).
 */
import { BroadcastChannel, isMainThread } from "node:worker_threads";
import type { Worker } from "node:worker_threads";
import { breakIfOwnedBy } from "./mutex";

const CHANNEL = "lanes:mutex-announcements";
/** Announced mutexes kept (strongly: the kernel has no object of its own to tie them to). */
const MAX_ANNOUNCED = 4096;
/** Exited thread ids remembered, for announcements that arrive after the exit. */
const MAX_EXITED = 4096;

interface Watched {
  readonly words: Int32Array;
  readonly base: number;
  /** Repairs the object and frees its locks itself instead of breaking the mutex (a queue's ring). */
  recover?(tid: number): boolean;
}

const watched = new Set<WeakRef<Watched>>();
let listening = false;

const announced: Watched[] = [];
const exited = new Set<number>();

function onWorker(worker: Worker): void {
  // threadId reads -1 once the worker has exited: keep it now.
  const tid = worker.threadId;
  worker.once("exit", () => ownerExited(tid));
}

/** Breaks every watched mutex thread `tid` held. Returns how many. */
export function ownerExited(tid: number): number {
  exited.add(tid);
  if (exited.size > MAX_EXITED) exited.delete(exited.values().next().value!);
  let broken = 0;
  for (const m of announced) if (breakIfOwnedBy(m.words, m.base, tid)) broken++;
  for (const ref of watched) {
    const m = ref.deref();
    if (m === undefined) watched.delete(ref);
    else if (m.recover !== undefined ? m.recover(tid) : breakIfOwnedBy(m.words, m.base, tid)) broken++;
  }
  return broken;
}

/** Watches the mutex at `words[base]` on the kernel thread (a no-op in workers). */
export function watchMutex(owner: Watched): void {
  if (!isMainThread) return;
  if (!listening) {
    listening = true;
    process.on("worker", onWorker);
  }
  watched.add(new WeakRef(owner));
  // A kernel making many short-lived locks and no worker exiting would keep every dead reference.
  if (watched.size >= nextPrune) {
    for (const ref of watched) if (ref.deref() === undefined) watched.delete(ref);
    nextPrune = Math.max(1024, watched.size * 2);
  }
}

let nextPrune = 1024;

/**
 * Starts listening for workers now, so workers started before the first lock is made are seen too
 * (called when Lanes' shared module loads on the kernel thread).
 */
export function listenForWorkers(): void {
  if (!isMainThread || listening) return;
  listening = true;
  process.on("worker", onWorker);
  listenForAnnouncements();
}

interface Announcement {
  readonly b: SharedArrayBuffer;
  readonly base: number;
}

function onAnnouncement(a: Announcement): void {
  if (!(a.b instanceof SharedArrayBuffer) || typeof a.base !== "number") return;
  const m: Watched = { words: new Int32Array(a.b), base: a.base };
  announced.push(m);
  if (announced.length > MAX_ANNOUNCED) announced.splice(0, announced.length - MAX_ANNOUNCED);
  // Its owner may have exited before the announcement arrived.
  const owner = Atomics.load(m.words, m.base + 1) - 1;
  if (exited.has(owner)) breakIfOwnedBy(m.words, m.base, owner);
}

let announcements: BroadcastChannel | undefined;

function listenForAnnouncements(): void {
  announcements = new BroadcastChannel(CHANNEL);
  announcements.onmessage = (event) => onAnnouncement((event as { data: Announcement }).data);
  // Listening must not keep the kernel (or a test process) alive.
  announcements.unref();
}

let sender: BroadcastChannel | undefined;
const announcedHere = new WeakSet<Int32Array>();

/**
 * Tells the kernel of a mutex this worker is about to wait on, once per mutex and thread, so a dead
 * owner of a mutex the kernel never saw is broken too. Called on the slow path only; a no-op on the kernel.
 */
export function announceWaiter(words: Int32Array, base: number): void {
  if (isMainThread || announcedHere.has(words)) return;
  announcedHere.add(words);
  if (sender === undefined) {
    sender = new BroadcastChannel(CHANNEL);
    sender.unref();
  }
  sender.postMessage({ b: words.buffer as SharedArrayBuffer, base } satisfies Announcement);
}
