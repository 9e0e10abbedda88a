/**
 * Typed errors, named like their Python counterparts so a `multiprocessing` user recognises them.
 * Every error says what went wrong and what to do about it.
 */

/**
 * Every Lanes error carries the names of its classes under this global symbol, and `instanceof` on a
 * Lanes error class also accepts an error carrying its name. Two reasons: `AggregateTaskError` cannot
 * extend `LanesError` (a class has one parent, and it must be an `AggregateError`); and one thread
 * can hold several copies of Lanes (tslab's, the notebook's `require("lanes")`, the worker bundle), so
 * a `Queue` rebuilt by the worker bundle throws its own `Empty` that a task's `e instanceof mp.Empty`
 * must still recognise.
 */
const KINDS = Symbol.for("lanes.error.kinds");

type Branded = { readonly [KINDS]?: readonly string[] };

/** The class names from `cls` up to (and including) `LanesError`. */
function kindsOf(cls: abstract new (...args: never[]) => unknown): readonly string[] {
  const names: string[] = [];
  for (let c: unknown = cls; typeof c === "function" && c !== Error && c !== AggregateError; c = Object.getPrototypeOf(c)) {
    names.push((c as { name: string }).name);
  }
  return Object.freeze(names);
}

/**
 * Base class of every error Lanes throws, so `catch (e) { if (e instanceof LanesError) … }` works,
 * for `AggregateTaskError` too.
 */
export class LanesError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    Object.defineProperty(this, KINDS, { value: kindsOf(new.target) });
  }

  /** The usual prototype check, or the brand of a Lanes error of this class made by another copy of Lanes. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== "object" || value === null) return false;
    const kinds = (value as Branded)[KINDS];
    return Array.isArray(kinds) && kinds.includes(this.name);
  }
}

/** Raised by `Queue.getNowait()` (and `get({ timeout })`) when the queue is empty, like Python's `queue.Empty`. */
export class Empty extends LanesError {}

/** Raised by `Queue.putNowait()` (and `put(x, { timeout })`) when the queue is full, like Python's `queue.Full`. */
export class Full extends LanesError {}

/**
 * A wait with a `timeout` ran out. From a pool call with `{ timeout }`: the item that ran longer than
 * that; its worker was ended and replaced, and `index` says which item it was.
 */
export class TimeoutError extends LanesError {
  /** Input index of the item that ran too long (pool calls); undefined for other waits. */
  readonly index: number | undefined;
  /** The limit that ran out, in milliseconds. */
  readonly timeout: number | undefined;

  constructor(message: string, options?: { index?: number | undefined; timeout?: number | undefined } & ErrorOptions) {
    super(message, options);
    this.index = options?.index;
    this.timeout = options?.timeout;
  }
}

/**
 * The pool takes no more work: a call made after `pool.close()` or `pool.terminate()` (or after
 * `Pool.with` ended) is refused with it. Its subclass `PoolTerminatedError` is what a call that was
 * still running gets when `terminate()` ends the pool under it; `instanceof PoolClosedError` is
 * true for both.
 */
export class PoolClosedError extends LanesError {}

/**
 * `pool.terminate()` ended the pool while this call was running, so its results are lost. The
 * pool is terminated by `terminate()` itself, by the end of `Pool.with(…)` or of an `await using`
 * block, and on SIGTERM or the process's `beforeExit`. To let running work finish, call
 * `pool.close()` and then `await pool.join()` instead. A `PoolClosedError`.
 */
export class PoolTerminatedError extends PoolClosedError {}

/**
 * Jupyter's "Interrupt the kernel" (or Ctrl-C, SIGINT) cancelled this running call, like Python's
 * `KeyboardInterrupt`. Its workers were ended and replaced: the pool is still usable.
 */
export class KeyboardInterrupt<R = unknown> extends LanesError {
  /**
   * What the call had finished when it was interrupted (`map`, `starmap`, `apply`): a sparse array as
   * long as the input, with each finished item's result at its index and a hole for every item that
   * was cancelled (`i in e.results`; `Object.keys(e.results)` lists the finished ones). An item that
   * had failed holds `undefined`, and its error is in `errors`. Empty for `imap` (its loop took the results).
   */
  readonly results: (R | undefined)[];
  /** Items that had failed before the interrupt (with `stopOnError: false`), in input order. */
  readonly errors: readonly TaskError[];

  constructor(message: string, options?: { results?: (R | undefined)[]; errors?: readonly TaskError[] } & ErrorOptions) {
    super(message, options);
    this.results = options?.results ?? [];
    this.errors = [...(options?.errors ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  }
}

/**
 * A worker thread died (`process.exit`, out of memory, a native crash) while running a task. When Lanes
 * knows which item was running, only that item fails with it (`index`); the others are run again
 * on a replacement worker.
 */
export class WorkerCrashedError extends LanesError {
  /** Input index of the item that was running when the worker died; undefined when none had started. */
  readonly index: number | undefined;
  /** The worker's exit code (`process.exit(n)` gives `n`), when Node reported one. */
  readonly exitCode: number | undefined;
  /** The thread id of the worker that died. */
  readonly threadId: number | undefined;

  constructor(message: string, options?: { index?: number | undefined; exitCode?: number | undefined; threadId?: number | undefined } & ErrorOptions) {
    super(message, options);
    this.index = options?.index;
    this.exitCode = options?.exitCode;
    this.threadId = options?.threadId;
  }
}

/**
 * The task function was shipped but could not be rebuilt in a worker thread, so the task itself
 * never ran there: a module it requires fails to load in a worker, a transfer handler it needs is
 * registered on the kernel thread only, or its compiled source does not evaluate. `cause` is the
 * worker's error (a `RemoteError`, with the worker's stack). Not a `RemoteError`: the task did not throw.
 */
export class FunctionLoadError extends LanesError {
  /** The name of the task function (`"anonymous"` for an inline arrow with no name). */
  readonly functionName: string;
  /** The worker thread that could not rebuild it. */
  readonly threadId: number;

  constructor(message: string, options: { functionName: string; threadId: number } & ErrorOptions) {
    super(message, options);
    this.functionName = options.functionName;
    this.threadId = options.threadId;
  }
}

/**
 * Lanes itself went wrong (its bookkeeping between the kernel and the workers broke), not your
 * task and not a worker crash. The message says what; please report it. Running the call again
 * usually works; a new Pool starts from a clean state.
 */
export class InternalError extends LanesError {}

/** The pool cannot run any work (for example: its initializer throws in every worker). */
export class BrokenPoolError extends LanesError {}

/**
 * Why a function could not be shipped, for programs that act on a refusal (`switch (e.reason)`):
 * - `"free-variables"`: it refers to names Lanes cannot find a value for (`names` lists them);
 * - `"not-cloneable"`: a captured value cannot be copied to another thread (a socket, a promise, a
 *   symbol, an instance with private fields …);
 * - `"exports-object"`: it uses the notebook's `exports` object as a whole, which is never captured (only the `exports.name` properties read are);
 * - `"native-function"`: it is, or refers to, a native function Lanes cannot find as a global or a module export;
 * - `"bound-function"`: it is, or refers to, a bound function, whose target and `this` are hidden;
 * - `"free-this"` / `"free-super"`: an arrow function or method uses `this` / `super` from the code around it;
 * - `"module-not-found"`: a `{ module, name }` reference names no module Lanes can resolve;
 * - `"no-typescript"`: a TypeScript module must be compiled for the workers and no TypeScript compiler was found;
 * - `"other"`: thrown without a reason (the default of `new NotShippableError(message)`).
 */
export type NotShippableReason =
  | "free-variables"
  | "not-cloneable"
  | "exports-object"
  | "native-function"
  | "bound-function"
  | "free-this"
  | "free-super"
  | "module-not-found"
  | "no-typescript"
  | "other";

/** The structured part of a `NotShippableError`, besides its message. */
export interface NotShippableDetails {
  /** What kind of refusal this is; `"other"` when not given. */
  reason?: NotShippableReason | undefined;
  /** The root function being shipped (its own name, or the export name of a `{ module, name }` reference), when known. */
  functionName?: string | undefined;
  /** The variable names at fault (missing names, or the variable holding what cannot cross); `[]` when not given. */
  names?: readonly string[] | undefined;
}

/**
 * A value a task refers to cannot be sent to a worker thread. The message says what and how to fix
 * it; `reason`, `functionName` and `names` say the same for a program.
 */
export class NotShippableError extends LanesError {
  /** What kind of refusal this is; `"other"` when the thrower gave none. */
  readonly reason: NotShippableReason;
  /**
   * The root function being shipped: its own `name`, or the export name of a `{ module, name }`
   * reference. `undefined` when it has none (an inline arrow; the message calls it `fn`) or when the
   * refusal is not about one function (no TypeScript compiler).
   */
  readonly functionName: string | undefined;
  /**
   * The variable names at fault: for `"free-variables"` the names Lanes cannot find; for a value or
   * function that cannot cross, the variable holding it (the last one on the path from the root
   * function); `[]` when the refusal is not about a variable (the root function itself, a module).
   */
  readonly names: readonly string[];

  constructor(message: string, options?: NotShippableDetails & ErrorOptions) {
    super(message, options);
    this.reason = options?.reason ?? "other";
    this.functionName = options?.functionName;
    // Frozen copy: the caller's array must not change what the error reports.
    this.names = Object.freeze([...(options?.names ?? [])]);
  }
}

/**
 * The call was cancelled through its own `AbortSignal` (the `signal` option), before or while it
 * ran; `cause` is the signal's `reason`. Only the signal gives it: `terminate()` gives
 * `PoolTerminatedError`, SIGINT gives `KeyboardInterrupt`. Its `name` is `"AbortError"`, as for
 * `fetch` and every other API a signal cancels.
 */
export class AbortError extends LanesError {}

/**
 * An error thrown inside a worker, rebuilt on the calling side. `name`, `message` and `stack` are the
 * original ones (the stack points into the user's function, as the worker saw it).
 */
export class RemoteError extends LanesError {
  /** The `name` of the error the task threw (`TypeError`, `RangeError`, a custom class name …). */
  readonly remoteName: string;
  /** The stack as printed inside the worker. */
  readonly remoteStack: string | undefined;
  /** Index of the input item whose task failed, when the call had items. */
  readonly index: number | undefined;
  /**
   * The thrown error's own properties that could cross (`code`, `errno`, `path` …), also set on this
   * error itself: `e.code` reads as it did in the worker.
   */
  readonly props: Readonly<Record<string, unknown>>;
  /** When the task threw an `AggregateError`: its `errors`, each as a `RemoteError`. */
  readonly errors: readonly RemoteError[] | undefined;
  /** Common on Node errors; one of `props`. */
  declare readonly code?: unknown;

  constructor(remote: RemoteErrorInit, index?: number) {
    super(remote.message, remote.cause === undefined ? undefined : { cause: "error" in remote.cause ? new RemoteError(remote.cause.error) : remote.cause.value });
    this.remoteName = remote.name;
    this.remoteStack = remote.stack;
    this.index = index;
    this.props = Object.freeze({ ...remote.props });
    this.errors = remote.errors?.map((e) => new RemoteError(e));
    // Own fields win: a task's error with an `index` property must not change which item failed.
    for (const [key, value] of Object.entries(this.props)) if (!(key in this)) Object.defineProperty(this, key, { value, enumerable: true });
    // Show the worker's stack: that is where the user's bug is.
    if (remote.stack !== undefined) this.stack = `RemoteError (${remote.name}): ${remote.message}\n  [worker stack]\n${remote.stack}`;
  }
}

/**
 * A task returned a value that cannot be copied back from its worker (a function, a symbol, a promise,
 * or an object holding one). The message names the value's type and where it sits in the result;
 * `index` is the item. The worker lives on and the call's other items are unaffected. A `RemoteError`,
 * so it sits in `AggregateTaskError.errors` like the others.
 */
export class UncloneableResultError extends RemoteError {}

/** What a `RemoteError` is made from: the error as it crossed from the worker. */
export interface RemoteErrorInit {
  name: string;
  message: string;
  stack?: string | undefined;
  props?: Record<string, unknown> | undefined;
  cause?: { error: RemoteErrorInit } | { value: unknown } | undefined;
  errors?: RemoteErrorInit[] | undefined;
}

/** How many failed input indexes an `AggregateTaskError` message lists (all are in `.errors`). */
const LISTED_INDEXES = 10;

/**
 * Several items of one call failed, and the call ran with `{ stopOnError: false }` so every item ran.
 * `errors` holds one error per failed item, in input order, each with the item's `index`: a `RemoteError`
 * (the task threw), a `WorkerCrashedError` (its worker died) or a `TimeoutError` (it ran past `timeout`);
 * `results` holds every other result at its input index (`undefined` where the item failed) for
 * `map` and `starmap`, and is empty for `imap` and `imapUnordered` (their loop took the results).
 * It is an `AggregateError` and a `LanesError`: both `instanceof` checks are true.
 */
export class AggregateTaskError<R = unknown> extends AggregateError {
  declare readonly errors: TaskError[];
  readonly results: (R | undefined)[];

  /** `total`: the items of the call (failed or not); by default `results.length`. */
  constructor(errors: readonly TaskError[], results: (R | undefined)[], total: number = results.length) {
    // In input order whatever order they failed in (imapUnordered collects them as they arrive).
    const sorted = [...errors].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    const indexes = sorted.slice(0, LISTED_INDEXES).map((e) => e.index);
    const more = sorted.length > LISTED_INDEXES ? `, … and ${sorted.length - LISTED_INDEXES} more` : "";
    super(sorted, `${sorted.length} of ${total} items failed (input indexes ${indexes.join(", ")}${more}); see .errors${results.length > 0 ? ", and .results for the others" : ""}`);
    this.name = "AggregateTaskError";
    this.results = results;
  }

  /** The usual prototype check, or the brand of an `AggregateTaskError` made by another copy of Lanes. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== "object" || value === null) return false;
    const kinds = (value as Branded)[KINDS];
    return Array.isArray(kinds) && kinds.includes(this.name);
  }
}

/**
 * A value cannot be copied to another thread (a function, a symbol, a socket, a promise …). The message
 * names its type; nothing was sent, and the queue or call it was meant for is unchanged.
 */
export class NotSerializableError extends LanesError {}

/**
 * A shared-memory call got a typecode Lanes does not know, or a value of the wrong kind for its
 * typecode (a number for a 64-bit BigInt code, or a BigInt for any other code).
 */
export class TypecodeError extends LanesError {}

/** An index outside a shared `Array`, like Python's `IndexError`. */
export class IndexError extends LanesError {}

/**
 * A call that would block was made on the kernel (main) thread. A blocked kernel answers no heartbeat
 * and no interrupt, so Lanes refuses: `await` the async twin named in the message instead.
 */
export class KernelThreadBlockingError extends LanesError {}

/** A lock was released by a thread that does not hold it (a `Lock` that is not locked, an `RLock` another thread owns). */
export class LockNotHeldError extends LanesError {}

/** A `BoundedSemaphore` was released more times than it was acquired, like Python's `ValueError`. */
export class TooManyReleasesError extends LanesError {}

/** A `Barrier` was aborted, reset, or timed out while threads waited on it, like Python's `threading.BrokenBarrierError`. */
export class BrokenBarrierError extends LanesError {}

/**
 * A worker thread died (terminated, `process.exit`, crash, out of memory) while holding a `Lock`,
 * `RLock` or `Semaphore` permit. The data it guarded may be half-updated, so the lock is broken for good:
 * every waiter and every later `acquire` gets this error. Make a new lock (and check the data).
 */
export class LockOwnerDiedError extends LanesError {
  /** The `threadId` of the worker that died holding the lock. */
  readonly ownerThreadId: number;

  constructor(message: string, ownerThreadId: number) {
    super(message);
    this.ownerThreadId = ownerThreadId;
  }
}

/** `getLock()` on a shared object made without a lock (`{ lock: false }`, `RawValue`, `RawArray`). */
export class NoLockError extends LanesError {}

/**
 * A `Process` method was called in a state that does not allow it, like Python's `AssertionError`s
 * ("cannot start a process twice", "can only join a started process"). The message says which
 * Process, what state it is in, and what to do instead.
 */
export class ProcessStateError extends LanesError {}

/** A queue was closed: `put` on it fails, and `get` fails once it is drained (`for await` ends there instead). */
export class QueueClosedError extends LanesError {}

/** `JoinableQueue.taskDone()` was called more times than items were put, like Python's `ValueError`. */
export class TaskDoneError extends LanesError {}

Object.defineProperty(AggregateTaskError.prototype, KINDS, { value: Object.freeze(["AggregateTaskError", "LanesError"]) });

/**
 * A task used more memory than its worker's heap may hold (`resourceLimits`, or V8's default limit):
 * Node ended the worker (`ERR_WORKER_OUT_OF_MEMORY`). Only that item fails with it; the kernel is
 * unaffected and a replacement worker takes over. A `WorkerCrashedError`.
 */
export class WorkerOutOfMemoryError extends WorkerCrashedError {}

/**
 * How one item of a pool call can fail, each error carrying the item's `index`: the task threw
 * (`RemoteError`), its worker died (`WorkerCrashedError`, `WorkerOutOfMemoryError`), or it ran past
 * the call's `timeout` (`TimeoutError`).
 */
export type TaskError = RemoteError | WorkerCrashedError | TimeoutError;

/**
 * A queue item holding shared objects (Value, Array, Lock, Queue …) reached a thread that cannot have
 * their memory: the thread started listening after the item was put, and the queue it was given did
 * not carry them. Hand the queue to workers before putting such items (or pass the shared objects directly).
 */
export class SharedItemLostError extends LanesError {}

/**
 * A distributed pool (`backend: "redis://…"`), `lanes worker` or a `LocalCluster` could not reach
 * Redis: at the start (within a few seconds, never a hang), or for longer than the pool's
 * `reconnectTimeout` during a call. The message names the URL (without its password).
 */
export class RedisUnreachableError extends LanesError {}

/**
 * A distributed pool or `lanes worker` has no cluster key to sign (or check) jobs with, or the key
 * given is unusable. Set `LANES_KEY` (the same on every machine), pass `--key-file`, or opt out
 * with `--insecure` / `{ insecure: true }` on a network you trust.
 */
export class ClusterKeyError extends LanesError {}

/**
 * A value cannot go to a distributed pool: Lanes shared objects (`Value`, `Array`, `Lock`, `Queue` …)
 * and `SharedArrayBuffer`s live in one machine's memory. Nothing of the call was queued.
 */
export class NotDistributableError extends LanesError {}

/** `LocalCluster.start()` needs Debian's `redis-server` (`apt-get install redis-server`), and it is not on this machine. */
export class RedisServerMissingError extends LanesError {}

/**
 * The TLS settings of a Redis connection cannot be used: a CA file (`caFile`, `LANES_REDIS_CA`,
 * `lanes worker --tls-ca`) cannot be read, or TLS options were given with a `redis://` URL (TLS
 * needs `rediss://`).
 */
export class RedisTlsError extends LanesError {}

/**
 * Not thrown: emitted once (`process.emitWarning`) by the first acquire of a `Semaphore` or
 * `BoundedSemaphore` after the kernel gave back the permits of a worker that died holding them
 * (terminated, `process.exit`, a crash, out of memory). The semaphore's count is right again; what
 * the dead worker did holding them may be unfinished. Listen with `process.on("warning", …)`.
 */
export class SemaphoreHolderDiedWarning extends LanesError {
  /** The `threadId` of the worker that died holding permits. */
  readonly ownerThreadId: number;
  /** How many permits were given back. */
  readonly permits: number;

  constructor(message: string, ownerThreadId: number, permits: number) {
    super(message);
    this.ownerThreadId = ownerThreadId;
    this.permits = permits;
  }
}
