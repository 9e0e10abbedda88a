import { cpuCount } from "../cpu-count";
import { AbortError, LanesError, PoolClosedError, PoolTerminatedError } from "../errors";
import { startProgress, type LiveProgress } from "../display/live-progress";
import { shipFunction, type ShippedFunction, type TaskFunction, type TaskFunctionRef } from "../ship";
import { packArgs, packShared } from "../shared/revive";
import { packArgsWithInstances } from "../ship/instance-codec";
// Installs the kernel's class shipper: class instances in items, arguments and initargs cross with their class.
import "../ship/class-shipping";
import { SpanRecorder, type TimelineSelection } from "../trace/span-recorder";
import type { Timeline } from "../trace/timeline";
import { CallTrace } from "./call-trace";
import { collect } from "./collect";
import { Engine } from "./engine";
import { Job, MAX_MESSAGE_ITEMS } from "./job";
import { LaneAllocator } from "./lane-allocator";
import type { ApplyOptions, ImapOptions, MapOptions, PoolOptions } from "./options";
import { APPLY_OPTIONS, IMAP_OPTIONS, MAP_OPTIONS, POOL_OPTIONS } from "./options";
import { checkOptions } from "./check-options";
import { ResultIterator } from "./result-iterator";
import { callsEnded, callsStarted, INTERRUPT, poolEnded, poolOpened } from "./signals";
import { itemSource, itemSourceWithLength, type ItemSource } from "./item-source";
import { TRACING } from "./tracing";
import { RedisBackend } from "../distributed/backend";
import { RemoteJob } from "../distributed/remote-job";
import { poolCreated, poolGone } from "./registry";
import { watchKernelShutdown } from "./kernel-exit";

type State = "run" | "close" | "terminate";

/**
 * A pool of worker threads, like Python's `multiprocessing.Pool`. Every method that waits returns a
 * Promise; the calling (kernel) thread never blocks.
 *
 * @example
 * const pool = new Pool(4);
 * const squares = await pool.map((x: number) => x * x, [1, 2, 3]);
 * await pool.terminate();
 *
 * @example
 * // See what the workers did: one span per batch (items one worker ran back to back), drawn as a timeline
 * await pool.map(f, items, { progress: true });
 * show(pool.timeline());
 *
 * In a notebook, re-running the cell that made a pool does not pile up threads: when a new Pool is
 * created, an older Pool that a notebook top-level name held and that no name holds any more (the cell
 * rebound `pool` to the new one) is closed, with a one-line notice — its running work finishes, then its
 * workers exit. A pool still held under another name is left alone; a pool nothing refers to is
 * terminated when it is garbage-collected. When the kernel shuts down or restarts, every pool is
 * terminated and the kernel exits at once, busy workers or not.
 *
 * Items, `starmap`/`apply` arguments, initargs and results may be class instances: they arrive as
 * instances of their class (a notebook class, or a module's), and a result as an instance of the
 * kernel's own class. An instance a copy cannot rebuild (private `#fields`, built-in or native state)
 * is refused with a `NotShippableError` before anything runs; a transfer handler carries it
 * (`mp.registerTransferHandler`).
 *
 * @example
 * class Pt { constructor(public x: number) {} norm() { return Math.abs(this.x); } }
 * await pool.map((p: Pt) => p.norm(), [new Pt(-2)]); // [2]
 *
 * @example
 * // Python's `with Pool() as p:` (terminates the pool when the body ends)
 * const total = await Pool.with({ processes: 2 }, async (pool) => (await pool.map(f, items)).length);
 */
export class Pool {
  private readonly engine: Engine;
  private state: State = "run";
  private readonly running = new Set<Promise<unknown>>();
  private closed: Promise<void> | undefined;
  private terminated: Promise<void> | undefined;
  private readonly recorder = new SpanRecorder();
  private readonly lanes: LaneAllocator;
  /** The pool's default per-item `timeout` (ms). */
  private readonly timeout: number;
  /** The cluster this pool runs on (`backend`), or undefined for local worker threads. */
  private readonly remote: RedisBackend | undefined;
  /** @internal Span recording on (see ./tracing.ts). */
  [TRACING] = true;

  /** `new Pool()` (one worker per CPU), `new Pool(4)`, or `new Pool({ processes, initializer, initargs, initContext, maxTasksPerChild, idleTimeout, timeout, resourceLimits })`. */
  constructor(options: number | PoolOptions = {}) {
    const opts: PoolOptions = typeof options === "number" ? { processes: options } : options;
    checkOptions("new Pool()", opts, POOL_OPTIONS);
    this.timeout = checkTimeout(opts.timeout) ?? Infinity;
    const backend = distributedBackend(opts);
    if (backend !== undefined) {
      this.remote = new RedisBackend(backend);
      // A pool on a cluster has no local threads: this engine starts none (minimum 0) and is never given work.
      this.engine = new Engine({ processes: 1, initializer: null, initargs: [], maxTasksPerChild: 0, idleTimeout: 0, resourceLimits: undefined });
      this.lanes = this.remote.lanes;
      // Timelines name a cluster's lanes by the worker threads they stand for (host:pid/threadId).
      this.recorder.laneLabels = this.remote.laneNames;
      poolOpened(this);
      const remote = this.remote;
      poolCreated(this, () => void remote.close(new PoolTerminatedError("The pool was garbage-collected: nothing referred to it any more.")).catch(() => undefined));
      watchKernelShutdown();
      return;
    }
    const processes = opts.processes ?? cpuCount();
    if (!Number.isInteger(processes) || processes < 1) throw new RangeError(`processes must be a whole number ≥ 1, not ${String(processes)}`);
    const maxTasks = opts.maxTasksPerChild;
    if (maxTasks !== undefined && (!Number.isInteger(maxTasks) || maxTasks < 1)) {
      throw new RangeError(`maxTasksPerChild must be a whole number ≥ 1 (or undefined), not ${String(maxTasks)}`);
    }
    const idleTimeout = opts.idleTimeout ?? Infinity;
    if (!(idleTimeout >= 0)) throw new RangeError(`idleTimeout must be ≥ 0 milliseconds, not ${String(idleTimeout)}`);
    const initializer = opts.initializer === undefined ? null : shipFunction(opts.initializer, { context: opts.initContext });
    const initargs = packShared([...packArgsWithInstances(opts.initargs ?? [], "initargs")]);
    this.engine = new Engine({ processes, initializer, initargs, maxTasksPerChild: maxTasks ?? 0, idleTimeout, resourceLimits: opts.resourceLimits });
    this.lanes = new LaneAllocator(processes, () => this.engine.threads);
    poolOpened(this);
    const engine = this.engine;
    poolCreated(this, () => void engine.shutDown(new PoolTerminatedError("The pool was garbage-collected: nothing referred to it any more.")).catch(() => undefined));
    watchKernelShutdown();
  }

  /** @internal Closed or terminated: takes no new work (src/pool/registry.ts). */
  get closedOrTerminated(): boolean {
    return this.state !== "run";
  }

  /**
   * Runs `body` with a new pool and terminates the pool when `body` settles, like Python's
   * `with Pool(…) as pool:` (TypeScript 5.0, tslab's compiler, has no `await using`).
   */
  static async with<R>(options: number | PoolOptions | undefined, body: (pool: Pool) => R): Promise<Awaited<R>> {
    const pool = new Pool(options);
    try {
      return await body(pool);
    } finally {
      await pool.terminate();
    }
  }

  /** Number of worker threads (on a cluster: its threads when the last call began). */
  get processes(): number {
    return this.remote?.lastThreads ?? this.engine.processes;
  }

  /**
   * On a cluster (`backend`): what each timeline lane stands for, `host:pid/threadId` of a
   * `lanes worker` thread, by lane number. Empty for a local pool, whose lanes are its threads.
   */
  get laneNames(): readonly string[] {
    return this.remote?.laneNames ?? [];
  }

  /** Thread ids of the live workers. */
  get threadIds(): number[] {
    return this.engine.threads.map((w) => w.threadId).filter((id) => id >= 0);
  }

  /**
   * `fn` applied to every item, results in input order, like Python's `Pool.map`. Items travel in
   * chunks (default `ceil(n / (4 × processes))`); a generator is read whole first, as in Python.
   * @example const lengths = await pool.map((s: string) => s.length, ["a", "bb"]);
   */
  map<T, R>(fn: (item: T) => R, items: Iterable<T> | AsyncIterable<T>, options?: number | MapOptions): Promise<Awaited<R>[]>;
  map<R = unknown>(fn: TaskFunctionRef, items: Iterable<unknown> | AsyncIterable<unknown>, options?: number | MapOptions): Promise<R[]>;
  map(fn: TaskFunction, items: Iterable<unknown> | AsyncIterable<unknown>, options?: number | MapOptions): Promise<unknown[]> {
    return this.track(this.mapAll(fn, items, options, false));
  }

  /**
   * `fn(...args)` for every tuple of arguments, results in input order, like Python's `Pool.starmap`.
   * @example const sums = await pool.starmap((a: number, b: number) => a + b, [[1, 2], [3, 4]]);
   */
  starmap<A extends unknown[], R>(fn: (...args: A) => R, items: Iterable<A> | AsyncIterable<A>, options?: number | MapOptions): Promise<Awaited<R>[]>;
  starmap<R = unknown>(fn: TaskFunctionRef, items: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>, options?: number | MapOptions): Promise<R[]>;
  starmap(fn: TaskFunction, items: Iterable<unknown> | AsyncIterable<unknown>, options?: number | MapOptions): Promise<unknown[]> {
    return this.track(this.mapAll(fn, items, options, true));
  }

  /**
   * `fn(...args)` in a worker, like Python's `Pool.apply` (and `apply_async`: it returns a Promise).
   * @example const n = await pool.apply((a: number, b: number) => a * b, [6, 7]);
   */
  apply<A extends unknown[], R>(fn: (...args: A) => R, args?: A, options?: ApplyOptions): Promise<Awaited<R>>;
  apply<R = unknown>(fn: TaskFunctionRef, args?: readonly unknown[], options?: ApplyOptions): Promise<R>;
  apply(fn: TaskFunction, args: readonly unknown[] = [], options: ApplyOptions = {}): Promise<unknown> {
    const run = async (): Promise<unknown> => {
      if (!Array.isArray(args)) throw new TypeError(`apply's args must be an array of arguments, not ${typeof args}`);
      checkOptions("pool.apply()", options, APPLY_OPTIONS);
      const [result] = await this.mapAll(fn, [packArgs(args)], { ...options, chunksize: 1 }, true);
      return result;
    };
    return this.track(run());
  }

  /**
   * Like `map`, but an `AsyncIterable` that yields each result (in input order) as soon as it and
   * those before it are ready, like Python's `Pool.imap`. Input is read only as fast as the loop
   * consumes results, so a huge (or endless) generator is fine. Breaking out of the loop stops it.
   * @example for await (const r of pool.imap(slow, items)) console.log(r);
   */
  imap<T, R>(fn: (item: T) => R, items: Iterable<T> | AsyncIterable<T>, options?: number | ImapOptions): AsyncIterableIterator<Awaited<R>>;
  imap<R = unknown>(fn: TaskFunctionRef, items: Iterable<unknown> | AsyncIterable<unknown>, options?: number | ImapOptions): AsyncIterableIterator<R>;
  imap(fn: TaskFunction, items: Iterable<unknown> | AsyncIterable<unknown>, options?: number | ImapOptions): AsyncIterableIterator<unknown> {
    return this.iterate(fn, items, options, true);
  }

  /** Like `imap`, but yields results in the order they finish, like Python's `Pool.imap_unordered`. */
  imapUnordered<T, R>(fn: (item: T) => R, items: Iterable<T> | AsyncIterable<T>, options?: number | ImapOptions): AsyncIterableIterator<Awaited<R>>;
  imapUnordered<R = unknown>(fn: TaskFunctionRef, items: Iterable<unknown> | AsyncIterable<unknown>, options?: number | ImapOptions): AsyncIterableIterator<R>;
  imapUnordered(fn: TaskFunction, items: Iterable<unknown> | AsyncIterable<unknown>, options?: number | ImapOptions): AsyncIterableIterator<unknown> {
    return this.iterate(fn, items, options, false);
  }

  /**
   * What the workers did, as a {@link Timeline} (`show(pool.timeline())` draws it): one span per
   * batch — the consecutive items of the call one worker ran back to back from one message, several
   * chunks when they are small (5,000 tiny items at `chunksize: 1` make a few dozen batches, not
   * 5,000 spans), part of a chunk when a slow message was shared out between workers — with its
   * worker lane, thread id, queued / started / finished times, item range, outcome and error name,
   * and the summary figures. The last call by default; `{ all: true }` for every call the pool keeps.
   * A pool keeps the spans of its last 1000 calls, up to 100 000 spans in all (the oldest are
   * forgotten first), so a pool that lives as long as the kernel stays within a few MB.
   * @example
   * await pool.map(f, items);
   * show(pool.timeline());
   * show(pool.timeline({ all: true }));
   */
  timeline(selection: TimelineSelection = {}): Timeline {
    return this.recorder.timeline(selection);
  }

  /** No new work; work already submitted goes on. Call `join()` to wait for it. Python's `close()`. */
  close(): void {
    if (this.state === "run") this.state = "close";
  }

  /** Waits for the submitted work to finish and the workers to exit. Call `close()` (or `terminate()`) first, as in Python. */
  async join(): Promise<void> {
    if (this.state === "run") throw new LanesError("The pool is still running: call pool.close() (or pool.terminate()) before pool.join()");
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    if (this.terminated !== undefined) return this.terminated;
    this.closed ??= this.remote !== undefined ? this.remote.close() : this.engine.close();
    await this.closed;
    poolEnded(this);
    poolGone(this);
  }

  /**
   * Stops now: running calls reject with a `PoolTerminatedError`, and every worker thread ends;
   * later calls are refused with a `PoolClosedError`. Python's `terminate()`.
   */
  async terminate(): Promise<void> {
    this.state = "terminate";
    const error = new PoolTerminatedError(
      "The pool was terminated (pool.terminate(), the end of Pool.with or of an `await using` block, or SIGTERM) while this call was running, " +
        "so its results are lost. To let running work finish, call pool.close() and then await pool.join().",
    );
    this.terminated ??= this.remote !== undefined ? this.remote.close(error).then(() => this.engine.close()) : this.engine.shutDown(error);
    poolEnded(this);
    poolGone(this);
    await this.terminated;
  }

  /**
   * @internal Cancels the running calls (they reject with `error`) and replaces their workers; the
   * pool stays usable. Called on SIGINT (src/pool/signals.ts).
   */
  [INTERRUPT](error: Error): void {
    if (this.remote !== undefined) this.remote.failAll(error);
    else this.engine.interrupt(error);
  }

  /** `await using pool = new Pool()` (TypeScript ≥ 5.2) terminates the pool at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.terminate();
  }

  private track<P extends Promise<unknown>>(promise: P): P {
    this.running.add(promise);
    callsStarted(this);
    const forget = (): void => {
      this.running.delete(promise);
      if (this.running.size === 0) callsEnded(this);
    };
    promise.then(forget, forget);
    return promise;
  }

  /** Begins a call's spans; undefined when tracing is off and no progress display needs them. */
  private trace(name: string, total: number, force: boolean, workers: number = this.processes): CallTrace | undefined {
    if (!this[TRACING] && !force) return undefined;
    return new CallTrace(this.recorder, this.recorder.beginCall(name, total, workers), this.lanes);
  }

  private progress(trace: CallTrace | undefined, on: boolean | undefined): LiveProgress | undefined {
    return on === true && trace !== undefined ? startProgress(this.recorder, trace.call) : undefined;
  }

  private checkOpen(): void {
    if (this.state !== "run") {
      throw new PoolClosedError(`The pool is ${this.state === "close" ? "closed" : "terminated"} and takes no new work; create a new Pool`);
    }
  }

  private ship(fn: TaskFunction, context: Record<string, unknown> | undefined): ShippedFunction {
    if (typeof fn !== "function" && (typeof fn !== "object" || fn === null)) {
      throw new TypeError(`the task must be a function (or { module, name }), not ${fn === null ? "null" : typeof fn}`);
    }
    return shipFunction(fn, { context });
  }

  private async mapAll(fn: TaskFunction, items: Iterable<unknown> | AsyncIterable<unknown>, optionsOrChunksize: number | MapOptions | undefined, star: boolean): Promise<unknown[]> {
    this.checkOpen();
    const options = mapOptions(optionsOrChunksize, star ? "pool.starmap()" : "pool.map()", MAP_OPTIONS);
    if (options.signal?.aborted === true) throw new AbortError("The call was aborted through its AbortSignal before it started", { cause: options.signal.reason });
    const payload = this.ship(fn, options.context);
    const source = await itemSourceWithLength(items);
    const length = source.length!;
    if (length === 0) return [];
    const remote = this.remote;
    const workers = remote === undefined ? this.processes : Math.max(1, await remote.threads());
    const chunksize = options.chunksize ?? Math.ceil(length / (4 * workers));
    const stopOnError = options.stopOnError ?? true;
    const trace = this.trace(payload.name, length, options.progress === true, workers);
    const timeout = checkTimeout(options.timeout) ?? this.timeout;
    const job =
      remote === undefined
        ? new Job({ engine: this.engine, payload, source, chunksize, star, stopOnError, signal: options.signal, window: Infinity, trace, timeout })
        : new RemoteJob({ backend: remote, payload, source, chunksize, star, stopOnError, signal: options.signal, timeout: remoteTimeout(timeout), window: Infinity, trace });
    const results = collect<unknown>(job, length, stopOnError);
    // After the job started: its first display already shows the queued tasks.
    const progress = this.progress(trace, options.progress);
    try {
      return await results;
    } finally {
      finishProgress(progress);
    }
  }

  private iterate(fn: TaskFunction, items: Iterable<unknown> | AsyncIterable<unknown>, options: number | ImapOptions | undefined, ordered: boolean): AsyncIterableIterator<unknown> {
    let opts: ImapOptions = {};
    let job: Job | RemoteJob | undefined;
    let trace: CallTrace | undefined;
    try {
      opts = mapOptions(options, ordered ? "pool.imap()" : "pool.imapUnordered()", IMAP_OPTIONS);
      this.checkOpen();
      const payload = this.ship(fn, opts.context);
      const source: ItemSource = itemSource(items);
      const remote = this.remote;
      const chunksize = opts.chunksize ?? (remote === undefined ? 1 : remoteImapChunksize(source.length));
      const window = opts.window ?? (remote === undefined ? Math.max(4 * this.processes * MAX_MESSAGE_ITEMS, 2 * this.processes * chunksize) : Math.max(32 * chunksize, MAX_MESSAGE_ITEMS));
      if (!(window >= 1)) throw new RangeError(`window must be ≥ 1 item, not ${String(window)}`);
      const timeout = checkTimeout(opts.timeout) ?? this.timeout;
      trace = this.trace(payload.name, source.length ?? 0, opts.progress === true);
      const stopOnError = opts.stopOnError ?? true;
      job =
        remote === undefined
          ? new Job({ engine: this.engine, payload, source, chunksize, star: false, stopOnError, signal: opts.signal, window, trace, timeout })
          : new RemoteJob({ backend: remote, payload, source, chunksize, star: false, stopOnError, signal: opts.signal, timeout: remoteTimeout(timeout), window, trace });
    } catch (error) {
      return new ResultIterator(ordered, true).attach(undefined, error as Error);
    }
    const iterator = new ResultIterator(ordered, opts.stopOnError ?? true);
    let settle!: () => void;
    void this.track(new Promise<void>((resolve) => (settle = resolve)));
    iterator.attach(job);
    const progress = this.progress(trace, opts.progress);
    void job.done.then(() => {
      finishProgress(progress);
      settle();
    });
    return iterator;
  }
}

/** The distributed backend `opts` asks for (or `LANES_REDIS` does, for a pool given no local options), or undefined. */
function distributedBackend(opts: PoolOptions): PoolOptions["backend"] {
  const local = (["processes", "initializer", "initargs", "maxTasksPerChild", "idleTimeout", "initContext", "resourceLimits"] as const).filter((name) => opts[name] !== undefined);
  if (opts.backend === undefined) {
    const env = process.env.LANES_REDIS;
    return env !== undefined && env !== "" && local.length === 0 ? env : undefined;
  }
  if (local.length > 0) {
    throw new TypeError(
      `${local.join(", ")} ${local.length === 1 ? "is an option" : "are options"} of a local pool, and this one runs on a cluster (backend): ` +
        `its threads are the workers' own (npx lanes worker --concurrency N). Drop ${local.length === 1 ? "it" : "them"}, or drop backend.`,
    );
  }
  return opts.backend;
}

/** Items per chunk of `imap` on a cluster: one job per item would cost about 0.5 ms each (notes/distributed.md). */
function remoteImapChunksize(length: number | undefined): number {
  return length === undefined ? 64 : Math.min(MAX_MESSAGE_ITEMS, Math.max(1, Math.ceil(length / 64)));
}

/** A RemoteJob's per-item deadline: 0 for none (the pool's default is Infinity). */
function remoteTimeout(timeout: number): number {
  return Number.isFinite(timeout) ? timeout : 0;
}

/** Ends a progress display; a display that fails must not change what the call returns. */
function finishProgress(progress: LiveProgress | undefined): void {
  try {
    progress?.finish();
  } catch (error) {
    console.warn(`lanes: the progress display failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A `timeout` option as given (undefined when not), once it is known to be a number of milliseconds > 0. */
function checkTimeout(timeout: number | undefined): number | undefined {
  if (timeout === undefined) return undefined;
  if (typeof timeout !== "number" || !(timeout > 0)) {
    throw new RangeError(`timeout must be a number of milliseconds > 0 (Infinity: no limit), not ${String(timeout)}`);
  }
  return timeout;
}

function mapOptions<O extends MapOptions | ImapOptions>(options: number | O | undefined, where: string, known: readonly string[]): O {
  const opts = (typeof options === "number" ? { chunksize: options } : (options ?? {})) as O;
  checkOptions(where, opts, known);
  const { chunksize } = opts;
  if (chunksize !== undefined && (!Number.isInteger(chunksize) || chunksize < 1)) {
    throw new RangeError(`chunksize must be a whole number ≥ 1, not ${String(chunksize)}`);
  }
  return opts;
}
