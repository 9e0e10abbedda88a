/**
 * The two ways a shared-memory primitive waits on a word: blocking (`Atomics.wait`, workers only) and
 * awaiting (`Atomics.waitAsync`, any thread). Deadlines are absolute `performance.now()` times so a
 * loop that wakes early (a wake-up meant for someone else) waits only for what is left.
 *
 * Every primitive has both forms (`acquire` and `acquireAsync` …). Their slow paths are written once,
 * as a generator of `Step`s (wait on this word, take that lock), and run by `runSync` or `runAsync`:
 * one algorithm, waiting either way. Only slow paths are steps: the uncontended paths stay inline.
 */
import { isMainThread } from "node:worker_threads";
import { KernelThreadBlockingError } from "../errors";

export type WaitResult = "ok" | "not-equal" | "timed-out";

type WaitAsync = (i32: Int32Array, index: number, value: number, timeout?: number) =>
  | { async: false; value: "not-equal" | "timed-out" }
  | { async: true; value: Promise<"ok" | "timed-out"> };

// ES2024's Atomics.waitAsync: Node 20 has it, the ES2023 lib this project compiles against does not type it.
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** True on the thread that must never block: the kernel's (Node's main thread). */
export const onKernelThread: boolean = isMainThread;

/**
 * Throws `KernelThreadBlockingError` when called on the kernel thread: `call` is what the user called
 * (`"Lock.acquire()"`), `twin` the awaitable twin (`"await lock.acquireAsync()"`).
 */
export function refuseOnKernel(call: string, twin: string): void {
  if (!onKernelThread) return;
  throw new KernelThreadBlockingError(
    `${call} would block the kernel thread (a blocked kernel answers no heartbeat and no interrupt): use ${twin} there; ` +
      `the blocking form is for code running inside workers`,
  );
}

/**
 * An absolute deadline from a timeout in milliseconds: `undefined` or `Infinity` waits forever,
 * `0` does not wait. A negative or NaN timeout is an error, as in Python.
 */
export function deadlineOf(timeout: number | undefined): number {
  if (timeout === undefined || timeout === Infinity) return Infinity;
  if (typeof timeout !== "number" || !(timeout >= 0)) {
    throw new RangeError(`timeout must be a number of milliseconds >= 0 (or undefined to wait forever), got ${String(timeout)}`);
  }
  return performance.now() + timeout;
}

/** Milliseconds left before `deadline` (0 when passed, `Infinity` for none). */
export function remaining(deadline: number): number {
  if (deadline === Infinity) return Infinity;
  const left = deadline - performance.now();
  return left > 0 ? left : 0;
}

/** Blocks while `i32[index] === expected`, until woken or `deadline`. Workers only (callers refuse on the kernel first). */
export function waitSync(i32: Int32Array, index: number, expected: number, deadline: number): WaitResult {
  const left = remaining(deadline);
  if (left === 0) return Atomics.load(i32, index) === expected ? "timed-out" : "not-equal";
  return Atomics.wait(i32, index, expected, left);
}

// A pending Atomics.waitAsync alone does not keep Node alive: with nothing else pending, Node exits
// with code 13 and the promise never settles (nodejs/node#61941). One ref'd interval, held while any
// async wait is pending, keeps the process (the kernel) alive; it never fires in practice.
let pending = 0;
let keepAlive: ReturnType<typeof setInterval> | undefined;

function hold(): void {
  if (pending++ === 0) keepAlive = setInterval(() => undefined, 1 << 30);
}

function drop(): void {
  if (--pending === 0 && keepAlive !== undefined) {
    clearInterval(keepAlive);
    keepAlive = undefined;
  }
}

/** Number of async waits pending on this thread (tests check that none leak). */
export function pendingAsyncWaits(): number {
  return pending;
}

/** Awaits while `i32[index] === expected`, until woken or `deadline`. Safe on every thread. */
export async function waitOn(i32: Int32Array, index: number, expected: number, deadline: number): Promise<WaitResult> {
  const left = remaining(deadline);
  if (left === 0) return Atomics.load(i32, index) === expected ? "timed-out" : "not-equal";
  const r = waitAsync(i32, index, expected, left);
  if (!r.async) return r.value;
  hold();
  try {
    return await r.value;
  } finally {
    drop();
  }
}

/** What a slow path asks its driver for: wait while a word holds a value, or take a lock. */
export type Step =
  | { readonly words: Int32Array; readonly index: number; readonly value: number; readonly deadline: number }
  | { readonly take: { acquire(): boolean; acquireAsync(): Promise<boolean> } };

/** A slow path written once (see above): yields `Step`s, is sent each one's outcome, returns `T`. */
export type Steps<T> = Generator<Step, T, WaitResult | boolean>;

type Outcome = { readonly ok: WaitResult | boolean } | { readonly error: unknown };

/** Sends a step's outcome into `steps`: its value, or its error thrown there (their `finally` blocks run as in plain code). */
function resume<T>(steps: Steps<T>, outcome: Outcome): IteratorResult<Step, T> {
  return "ok" in outcome ? steps.next(outcome.ok) : steps.throw(outcome.error);
}

/** Runs `steps` blocking the thread (`Atomics.wait`, `acquire()`). Workers only: callers refuse on the kernel first. */
export function runSync<T>(steps: Steps<T>): T {
  let r = steps.next();
  while (r.done !== true) {
    const s = r.value;
    let outcome: Outcome;
    try {
      outcome = { ok: "take" in s ? s.take.acquire() : waitSync(s.words, s.index, s.value, s.deadline) };
    } catch (error) {
      outcome = { error };
    }
    r = resume(steps, outcome);
  }
  return r.value;
}

/** Runs `steps` without blocking the thread (`Atomics.waitAsync`, `acquireAsync()`). Safe on every thread. */
export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let r = steps.next();
  while (r.done !== true) {
    const s = r.value;
    const pending = "take" in s ? s.take.acquireAsync() : waitOn(s.words, s.index, s.value, s.deadline);
    r = resume(steps, await pending.then((ok): Outcome => ({ ok }), (error: unknown): Outcome => ({ error })));
  }
  return r.value;
}
