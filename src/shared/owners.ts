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
 * Limits: mutexes the kernel never saw (made in a worker and passed only between workers), and
 * workers started by other workers, are not watched.
 */
import { isMainThread } from "node:worker_threads";
import type { Worker } from "node:worker_threads";
import { breakIfOwnedBy } from "./mutex";

interface Watched {
  readonly words: Int32Array;
  readonly base: number;
  /** Repairs the object and frees its locks itself instead of breaking the mutex (a queue's ring). */
  recover?(tid: number): boolean;
}

const watched = new Set<WeakRef<Watched>>();
let listening = false;

function onWorker(worker: Worker): void {
  // threadId reads -1 once the worker has exited: keep it now.
  const tid = worker.threadId;
  worker.once("exit", () => ownerExited(tid));
}

/** Breaks every watched mutex thread `tid` held. Returns how many. */
export function ownerExited(tid: number): number {
  let broken = 0;
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
}
