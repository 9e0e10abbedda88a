/**
 * Dead owners. A worker that exits while holding a lock leaves its word locked forever (Python's
 * multiprocessing never recovers either). The kernel thread sees every worker it starts exit (Node's
 * `process` "worker" event), and every mutex and semaphore the kernel knows of (made or received
 * there) is checked then: a mutex held by the dead thread is broken, which wakes its waiters with
 * `LockOwnerDiedError`; a semaphore gives back the permits the dead thread held (permits.ts).
 *
 * Why broken rather than handed on: the dead worker stopped mid-critical-section, so the data the lock
 * guards may be half-written. POSIX robust mutexes hand the lock on with EOWNERDEAD and trust the next
 * owner to repair; a notebook user rarely can, and a silently wrong total is worse than an error.
 *
 * Mutexes and semaphores the kernel never saw (made in a worker and passed only between workers) are
 * announced to it by the first thread that has to wait on one (`announceWaiter`, on the slow path only:
 * the uncontended path and making a lock stay as cheap as before). The announcement is a
 * BroadcastChannel message; it may arrive after the owner's exit, so the kernel remembers which
 * threads exited and breaks an announced mutex whose owner is among them at once. A mutex no thread
 * ever waits on needs no breaking.
 *
 * Workers started by workers (a Pool or Process made inside a task): the kernel never sees them start,
 * so every worker that has loaded Lanes' main module (`require("lanes")`, which making a Pool or
 * Process there needs) or holds a Lanes lock, semaphore, barrier or queue reports the workers it
 * starts, and their exits, on the same channel. A worker that is itself ended takes its workers with
 * it (Node stops and joins them before the parent's exit is seen), so the kernel counts a dead
 * thread's reported workers as dead too.
 */
import { BroadcastChannel, isMainThread, threadId } from "node:worker_threads";
import type { Worker } from "node:worker_threads";
import { breakIfOwnedBy } from "./mutex";
import { giveBackPermits, holdersOf } from "./permits";

const CHANNEL = "lanes:mutex-announcements";
/** Announced mutexes kept (strongly: the kernel has no object of its own to tie them to). */
const MAX_ANNOUNCED = 4096;
/** Exited thread ids remembered, for announcements that arrive after the exit. */
const MAX_EXITED = 4096;

interface Watched {
  readonly words: Int32Array;
  readonly base: number;
  /** Repairs the object and frees its locks itself instead of breaking the mutex (a queue's ring, a semaphore). */
  recover?(tid: number): boolean;
}

const watched = new Set<WeakRef<Watched>>();
let listening = false;

const announced: Watched[] = [];
const exited = new Set<number>();
/** Workers started by workers: parent thread id → the ids of the workers it reported starting. */
const children = new Map<number, number[]>();

function onWorker(worker: Worker): void {
  // threadId reads -1 once the worker has exited: keep it now.
  const tid = worker.threadId;
  worker.once("exit", () => ownerExited(tid));
}

function check(m: Watched, tid: number): boolean {
  return m.recover !== undefined ? m.recover(tid) : breakIfOwnedBy(m.words, m.base, tid);
}

/** Breaks every watched mutex thread `tid` (or a worker it started) held, and gives back its permits. Returns how many. */
export function ownerExited(tid: number): number {
  exited.add(tid);
  if (exited.size > MAX_EXITED) exited.delete(exited.values().next().value!);
  let broken = 0;
  for (const m of announced) if (check(m, tid)) broken++;
  for (const ref of watched) {
    const m = ref.deref();
    if (m === undefined) watched.delete(ref);
    else if (check(m, tid)) broken++;
  }
  // Its own workers died with it (see above).
  const kids = children.get(tid);
  children.delete(tid);
  for (const kid of kids ?? []) if (!exited.has(kid)) broken += ownerExited(kid);
  return broken;
}

/**
 * Watches the mutex at `words[base]` (or the object `recover` repairs) on the kernel thread. In a
 * worker it only starts reporting the workers this one starts: a thread holding a lock may hand it on.
 */
export function watchMutex(owner: Watched): void {
  listenForWorkers();
  if (!isMainThread) return;
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
 * (called when Lanes' shared module loads). On the kernel it watches their exits; in a worker it
 * reports the workers this worker starts, and their exits, to the kernel.
 */
export function listenForWorkers(): void {
  if (listening) return;
  listening = true;
  if (isMainThread) {
    process.on("worker", onWorker);
    listenForAnnouncements();
  } else {
    process.on("worker", reportWorker);
  }
}

type Announcement =
  | { readonly b: SharedArrayBuffer; readonly base: number; readonly s?: true }
  | { readonly started: number; readonly parent: number }
  | { readonly exited: number; readonly parent: number };

function onAnnouncement(a: Announcement): void {
  if ("started" in a) return onStarted(a.started, a.parent);
  if ("exited" in a) return onReportedExit(a.exited, a.parent);
  if (!(a.b instanceof SharedArrayBuffer) || typeof a.base !== "number") return;
  const words = new Int32Array(a.b);
  const m: Watched = a.s === true ? { words, base: a.base, recover: (tid) => giveBackPermits(words, tid) } : { words, base: a.base };
  announced.push(m);
  if (announced.length > MAX_ANNOUNCED) announced.splice(0, announced.length - MAX_ANNOUNCED);
  // Its owner (or a holder of permits) may have exited before the announcement arrived.
  if (m.recover !== undefined) {
    for (const tid of holdersOf(words)) if (exited.has(tid)) m.recover(tid);
    return;
  }
  const owner = Atomics.load(m.words, m.base + 1) - 1;
  if (exited.has(owner)) breakIfOwnedBy(m.words, m.base, owner);
}

function onStarted(kid: number, parent: number): void {
  if (typeof kid !== "number" || typeof parent !== "number") return;
  // The parent's exit may have been seen first: then the worker is gone too.
  if (exited.has(parent)) {
    if (!exited.has(kid)) ownerExited(kid);
    return;
  }
  const kids = children.get(parent);
  if (kids === undefined) children.set(parent, [kid]);
  else kids.push(kid);
}

function onReportedExit(kid: number, parent: number): void {
  if (typeof kid !== "number") return;
  // A parent that lives on (a Pool inside a Process replacing its workers) must not collect every id.
  const kids = children.get(parent);
  if (kids !== undefined && kids.includes(kid)) kids.splice(kids.indexOf(kid), 1);
  if (!exited.has(kid)) ownerExited(kid);
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

function send(a: Announcement): void {
  if (sender === undefined) {
    sender = new BroadcastChannel(CHANNEL);
    sender.unref();
  }
  sender.postMessage(a);
}

/** In a worker: tells the kernel of a worker this one started, and of its exit. */
function reportWorker(worker: Worker): void {
  const tid = worker.threadId;
  send({ started: tid, parent: threadId });
  worker.once("exit", () => send({ exited: tid, parent: threadId }));
}

/**
 * Tells the kernel of a mutex (or semaphore) this worker is about to wait on, once per object and
 * thread, so a dead owner of one the kernel never saw is broken (or its permits given back) too.
 * Called on the slow path only; a no-op on the kernel.
 */
export function announceWaiter(words: Int32Array, base: number, kind: "mutex" | "semaphore" = "mutex"): void {
  if (isMainThread || announcedHere.has(words)) return;
  announcedHere.add(words);
  const b = words.buffer as SharedArrayBuffer;
  send(kind === "semaphore" ? { b, base, s: true } : { b, base });
}
