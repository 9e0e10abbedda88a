/**
 * Interrupt and shutdown for every pool of the process (notes/tslab.md, "Interrupt and shutdown").
 *
 * - SIGINT (Jupyter's interrupt, Ctrl-C): tslab rejects the awaited cell but the workers would go on
 *   computing. While some pool call runs, a listener cancels the running calls of every pool (they
 *   reject with a `KeyboardInterrupt` holding what they had finished; their workers are ended and
 *   replaced, the pools stay usable). The listener exists only while calls run: an idle script, or the
 *   code right after an `await pool.map(…)`, still dies on Ctrl-C as Node's default.
 * - SIGTERM and `beforeExit`: live pools are terminated, so a kernel asked to shut down exits
 *   instead of waiting on busy workers. After SIGTERM, if nobody else listens, the signal is raised
 *   again at once, so the process ends the way it would have without Lanes.
 */
import { KeyboardInterrupt } from "../errors";

/** A pool's method that cancels its running calls with an error; the pool stays usable. Not public API. */
export const INTERRUPT: unique symbol = Symbol("lanes.interrupt");

/** What a pool exposes to this module. */
export interface Interruptible {
  [INTERRUPT](error: Error): void;
  terminate(): Promise<void>;
}

const busy = new Set<Interruptible>();
const live = new Set<WeakRef<Interruptible>>();
const refs = new WeakMap<Interruptible, WeakRef<Interruptible>>();

/** A pool was created: terminate it on SIGTERM / beforeExit. */
export function poolOpened(pool: Interruptible): void {
  const ref = new WeakRef(pool);
  refs.set(pool, ref);
  live.add(ref);
  if (live.size === 1) {
    process.on("SIGTERM", onSigterm);
    process.on("beforeExit", onBeforeExit);
  }
}

/** A pool was terminated or joined: nothing left to do for it. */
export function poolEnded(pool: Interruptible): void {
  const ref = refs.get(pool);
  if (ref !== undefined) live.delete(ref);
  callsEnded(pool);
  if (live.size === 0) {
    process.off("SIGTERM", onSigterm);
    process.off("beforeExit", onBeforeExit);
  }
}

/** `pool` has calls running: SIGINT now cancels them. */
export function callsStarted(pool: Interruptible): void {
  if (busy.has(pool)) return;
  busy.add(pool);
  if (busy.size === 1) reconcile();
}

/** `pool` has no call running any more. */
export function callsEnded(pool: Interruptible): void {
  if (!busy.delete(pool)) return;
  if (busy.size === 0) reconcile();
}

let adding = false;

const attached = (): boolean => process.listeners("SIGINT").includes(onSigint);

/**
 * Adds the SIGINT listener in a microtask, removes it at once. A tslab cell's synchronous part runs
 * under vm's `breakOnSigint`, which takes SIGINT over and resets it to "exit" when the cell returns:
 * a listener added meanwhile would stay registered while the next interrupt killed the kernel (seen
 * with tslab 1.0.22 on Node 20). The microtask runs after vm has given SIGINT back. Removal cannot
 * wait: the code after `await pool.map(…)` runs before any microtask queued when the call ended, and
 * a Ctrl-C caught by a listener that is then removed is lost (Node's default, exit, never happens).
 */
function reconcile(): void {
  if (busy.size === 0) {
    if (attached()) process.off("SIGINT", onSigint);
    return;
  }
  if (adding || attached()) return;
  adding = true;
  queueMicrotask(() => {
    adding = false;
    if (busy.size > 0 && !attached()) process.on("SIGINT", onSigint);
  });
}

function onSigint(): void {
  if (busy.size === 0) {
    // No call runs, yet the listener is here: vm's breakOnSigint put it back after we removed it.
    // Behave as if Lanes never listened: without another listener, Node's default ends the process.
    process.off("SIGINT", onSigint);
    if (process.listenerCount("SIGINT") === 0) process.kill(process.pid, "SIGINT");
    return;
  }
  const message = "Interrupted (SIGINT): the running pool calls were cancelled and their workers replaced. The pool is still usable: run the call again.";
  for (const pool of [...busy]) pool[INTERRUPT](new KeyboardInterrupt(message));
}

function livePools(): Interruptible[] {
  const pools: Interruptible[] = [];
  for (const ref of live) {
    const pool = ref.deref();
    if (pool === undefined) live.delete(ref);
    else pools.push(pool);
  }
  return pools;
}

function terminateAll(): Promise<unknown> {
  return Promise.allSettled(livePools().map((pool) => pool.terminate()));
}

function onSigterm(): void {
  // Ends the workers; pending calls reject. Nothing is awaited: the process is going away.
  void terminateAll();
  process.off("SIGTERM", onSigterm);
  process.off("beforeExit", onBeforeExit);
  // Our listener replaced Node's default (exit). Unless someone else handles SIGTERM (then they
  // decide when to exit), raise it again now, before the rejected calls' code runs on.
  if (process.listenerCount("SIGTERM") === 0) process.kill(process.pid, "SIGTERM");
}

function onBeforeExit(): void {
  // Nothing is left to run: ending the pools' threads now lets the process exit at once.
  void terminateAll();
}
