import type { ResourceLimits } from "node:worker_threads";
import type { TaskFunction } from "../ship";
import type { RedisBackendOptions } from "../distributed/backend";

/** Options of `new Pool(…)`, named like Python's `multiprocessing.Pool(processes, initializer, initargs, maxtasksperchild)`. */
export interface PoolOptions {
  /**
   * Number of worker threads.
   * @default cpuCount()
   * @example new Pool({ processes: 4 })
   */
  processes?: number;
  /**
   * Runs once in each worker before its first task, like Python's `initializer` (set up a module
   * global, open a file …). May be async. If it throws, the pool breaks: the call fails with a
   * `BrokenPoolError` whose `cause` is the initializer's error, and no worker is respawned.
   * @default undefined
   * @example new Pool({ initializer: (seed: number) => { (globalThis as any).seed = seed; }, initargs: [42] })
   */
  initializer?: TaskFunction;
  /**
   * Arguments for `initializer`.
   * @default []
   */
  initargs?: readonly unknown[];
  /**
   * A worker runs this many tasks (chunks), then is replaced by a fresh one, like Python's
   * `maxtasksperchild`: a way to release memory a task leaks.
   * @default undefined (workers live as long as the pool)
   */
  maxTasksPerChild?: number;
  /**
   * Milliseconds an idle worker waits before it exits (a new one starts when work comes).
   * Idle workers never keep Node (or the kernel) from exiting either way. Ignored with
   * `maxTasksPerChild`, which keeps the pool at full size.
   * @default Infinity
   */
  idleTimeout?: number;
  /**
   * Values the `initializer` refers to by name, passed explicitly: it wins over every other way of
   * finding a name, like a call's `context`. It feeds the initializer only: a task's function gets
   * its own values through the call's `context` (or by referring to them, as it refers to anything).
   * @default undefined
   * @example
   * declare const threshold: number; // given to the initializer by name
   * new Pool({ initializer: () => { (globalThis as any).threshold = threshold; }, initContext: { threshold: 0.5 } })
   */
  initContext?: Record<string, unknown>;
  /**
   * The default `timeout` of every call (see `MapOptions.timeout`): milliseconds one item may run
   * before its worker is ended and the item fails with a `TimeoutError`. A call's own `timeout` wins.
   * @default Infinity (no limit)
   * @example new Pool({ processes: 4, timeout: 60_000 }) // no item may run longer than a minute
   */
  timeout?: number;
  /**
   * Limits of each worker thread's V8 heap, as Node's `Worker` takes them. An item that needs more
   * fails with a `WorkerOutOfMemoryError` (a `WorkerCrashedError`); its worker is replaced and the
   * kernel is unaffected, while without a limit such a task grows the heap to V8's default limit (GBs).
   * @default undefined (V8's defaults)
   * @example new Pool({ processes: 2, resourceLimits: { maxOldGenerationSizeMb: 256 } })
   */
  resourceLimits?: ResourceLimits;
  /**
   * Run the pool's calls on a cluster instead of local threads: BullMQ over Redis, with
   * `npx lanes worker --redis <url>` processes on any machines (or a `LocalCluster`). A Redis URL
   * (the cluster key then comes from `LANES_KEY`), or `{ url, key, queue, reconnectTimeout, … }`.
   * `processes`, `initializer`, `maxTasksPerChild` and `idleTimeout` belong to local pools.
   * See README, "Distributed".
   * @default process.env.LANES_REDIS, else undefined (local worker threads)
   * @example new Pool({ backend: "redis://10.0.0.5:6379" })
   * @example const cluster = await LocalCluster.start({ workers: 3 }); new Pool({ backend: cluster.backend })
   */
  backend?: string | RedisBackendOptions;
}

/** Options of `pool.map` and `pool.starmap`. */
export interface MapOptions {
  /**
   * Items per task sent to a worker. Python's `chunksize`.
   * @default Math.ceil(n / (4 * processes)), as CPython's `Pool.map`
   * @example await pool.map(f, items, { chunksize: 100 })
   */
  chunksize?: number;
  /**
   * Cancels the call: it rejects with an `AbortError`, and the workers running its items are
   * ended (and replaced).
   * @default undefined
   * @example await pool.map(f, items, { signal: AbortSignal.timeout(5_000) })
   */
  signal?: AbortSignal;
  /**
   * `true`: the first item that throws rejects the call with its `RemoteError`.
   * `false`: every item runs; if any threw, the call rejects with an `AggregateTaskError` (an
   * `AggregateError` and a `LanesError`) whose `errors` has one `RemoteError` per failed item, in
   * input order, and whose `results` has every other result at its input index (`imap` yields
   * those as they come and throws the `AggregateTaskError` at the end of the loop).
   * @default true
   */
  stopOnError?: boolean;
  /**
   * Milliseconds one item may run. An item still running then fails with a `TimeoutError` (its
   * `index` says which); its worker thread is ended, which is the only way to stop synchronous code,
   * and replaced, so the slot takes the next items. The call rejects with that error, or with
   * `stopOnError: false` the other items go on and it is one of the `AggregateTaskError`'s `errors`.
   * An item is never ended early; it is ended within about a tenth of `timeout` (at most 0.1 s) after it
   * ran that long. To bound the whole call instead, pass `signal: AbortSignal.timeout(ms)`.
   * @default the pool's `timeout`, else Infinity (no limit)
   * @example await pool.map(fetchAndParse, urls, { timeout: 5_000, stopOnError: false })
   */
  timeout?: number;
  /**
   * Values the function refers to by name, passed explicitly (see `shipFunction`).
   * @default undefined
   * @example await pool.map((x: number) => x * k, items, { context: { k: 3 } })
   */
  context?: Record<string, unknown>;
  /**
   * Shows live progress while the call runs: items done / total, rate, ETA and what each worker is
   * doing, updated in place at most 10 times a second, then replaced by the call's final timeline
   * (the same as `show(pool.timeline())`). In Jupyter (tslab, Deno) it is one display updated
   * through its `display_id`; in a plain Node script, a one-line bar on stderr when it is a
   * terminal, and nothing otherwise. For `imap` over a generator the total grows as items are read.
   * @default false
   * @example await pool.map(resize, images, { progress: true })
   */
  progress?: boolean;
}

/** Options of `pool.imap` and `pool.imapUnordered`. */
export interface ImapOptions extends Omit<MapOptions, "chunksize"> {
  /**
   * Items per task. Small chunks still travel many to a message, so the default is cheap.
   * @default 1, as CPython's `imap`
   */
  chunksize?: number;
  /**
   * Results computed but not yet taken by the loop, beyond which no more items are read from the
   * input: a huge generator is never held in memory whole.
   * @default 4 × processes × 8192 items, and at least 2 × processes chunks
   */
  window?: number;
}

/** Options of `pool.apply`. */
export type ApplyOptions = Pick<MapOptions, "signal" | "context" | "timeout">;

// The names each call accepts, checked by ./check-options. `satisfies` keeps these lists equal to the
// interfaces above: a new option that is not listed here (or a listed one that is gone) fails to compile.
const option = <K extends string>(names: Record<K, true>): readonly K[] => Object.keys(names) as K[];

export const POOL_OPTIONS = option({ processes: true, initializer: true, initargs: true, maxTasksPerChild: true, idleTimeout: true, initContext: true, timeout: true, resourceLimits: true, backend: true } satisfies Record<keyof PoolOptions, true>);
export const MAP_OPTIONS = option({ chunksize: true, signal: true, stopOnError: true, context: true, progress: true, timeout: true } satisfies Record<keyof MapOptions, true>);
export const IMAP_OPTIONS = option({ chunksize: true, signal: true, stopOnError: true, context: true, progress: true, window: true, timeout: true } satisfies Record<keyof ImapOptions, true>);
export const APPLY_OPTIONS = option({ signal: true, context: true, timeout: true } satisfies Record<keyof ApplyOptions, true>);
