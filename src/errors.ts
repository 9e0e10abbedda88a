/**
 * Typed errors, named like their Python counterparts so a `multiprocessing` user recognises them.
 * Every error says what went wrong and what to do about it.
 */

/** Base class of every error Lanes throws, so `catch (e) { if (e instanceof LanesError) … }` works. */
export class LanesError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Raised by `Queue.getNowait()` (and `get({ timeout })`) when the queue is empty, like Python's `queue.Empty`. */
export class Empty extends LanesError {}

/** Raised by `Queue.putNowait()` (and `put(x, { timeout })`) when the queue is full, like Python's `queue.Full`. */
export class Full extends LanesError {}

/** A wait with a `timeout` ran out. */
export class TimeoutError extends LanesError {}

/** The pool was closed or terminated and can take no more work. */
export class PoolClosedError extends LanesError {}

/** A worker thread died (exit, out of memory, `process.exit`) while running a task. */
export class WorkerCrashedError extends LanesError {}

/** The pool cannot run any work (for example: its initializer throws in every worker). */
export class BrokenPoolError extends LanesError {}

/** A value a task refers to cannot be sent to a worker thread. */
export class NotShippableError extends LanesError {}

/** A call was cancelled through its `AbortSignal` (or the pool was terminated mid-call). */
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

  constructor(remote: { name: string; message: string; stack?: string | undefined }, index?: number) {
    super(remote.message);
    this.remoteName = remote.name;
    this.remoteStack = remote.stack;
    this.index = index;
    // Show the worker's stack: that is where the user's bug is.
    if (remote.stack !== undefined) this.stack = `RemoteError (${remote.name}): ${remote.message}\n  [worker stack]\n${remote.stack}`;
  }
}

/**
 * Several items of one call failed, and the call ran with `{ stopOnError: false }` so every item ran.
 * `errors` holds one `RemoteError` per failed item, in input order (each has the item's `index`);
 * `results` holds every other result at its input index (`undefined` where the item failed).
 */
export class AggregateTaskError<R = unknown> extends AggregateError {
  declare readonly errors: RemoteError[];
  readonly results: (R | undefined)[];

  constructor(errors: RemoteError[], results: (R | undefined)[], total: number = results.length) {
    const indexes = errors.map((e) => e.index).join(", ");
    super(errors, `${errors.length} of ${total} items failed (input indexes ${indexes}); see .errors${results.length > 0 ? ", and .results for the others" : ""}`);
    this.name = "AggregateTaskError";
    this.results = results;
  }
}
