/**
 * The kernel thread's half of a Pool, driving its worker threads (whose half is src/worker/entry.ts):
 * piscina plus what piscina does not do for us — each function payload sent once per worker, workers
 * retired after `maxTasksPerChild` tasks, crashes named, a broken initializer stopping the pool
 * instead of respawning in a loop. Nothing here runs in a worker.
 */
import { Piscina } from "piscina";
import type { ResourceLimits, Worker } from "node:worker_threads";
import type { ShippedFunction } from "../ship";
import { BrokenPoolError, FunctionLoadError, InternalError, PoolClosedError, RemoteError, TimeoutError, WorkerCrashedError, WorkerOutOfMemoryError } from "../errors";
import type { BatchRequest, BatchResponse, ItemList, WireError, WorkerSetup } from "./protocol";
import type { ItemFailure } from "./item-error";
import { sliceItems, unpackItems } from "./items";
import { NO_CLAIM } from "./claims";
import { ClaimTable } from "./claim-table";
import { itemRunning, newProgressTable } from "./progress";
import { workerFile } from "./worker-file";

type Balancer = NonNullable<NonNullable<ConstructorParameters<typeof Piscina>[0]>["loadBalancer"]>;
type PiscinaWorker = Parameters<Balancer>[1][number];

const kQueueOptions = Piscina.queueOptionsSymbol;
/** Messages one worker may hold at once: one running, one waiting, so it never idles between them. */
export const DEPTH = 2;
const RETIRED_SLOTS = 4096;
/** Answers "I lack the function" before the payload-carrying resend is taken for a Lanes bug. */
const MAX_ATTEMPTS = 4;
/**
 * Sends of one batch lost through no item of its own: it waited behind another batch on a worker
 * that died or was ended, or its worker died before it began. Past this the batch fails: workers that
 * die as they start would otherwise be replaced and fed the batch forever.
 */
const MAX_RESENDS = 8;
/** The timeout watchdog looks at running items this often at most (ms), and at least this often. */
const WATCH_MIN_MS = 5;
const WATCH_MAX_MS = 100;

/** A call that has batches in flight; the engine fails it when the pool breaks or is terminated. */
export interface BatchOwner {
  readonly stopped: boolean;
  fail(error: Error): void;
  /** Another call's message was answered: a worker may be free to take over unclaimed items. */
  workerFreed(): void;
}

/** What a batch became, after any resending (cache miss, retired worker) was done. */
export interface BatchResult {
  results: ItemList;
  /** Items run (fewer than sent only when the call stops at an error). */
  ran: number;
  /** Failed items: the worker's errors as they crossed, and crashes and timeouts the kernel saw. */
  errors: ItemFailure[];
  /** Worker-side milliseconds spent running the items. */
  busyMs: number;
  threadId: number;
  started: number;
  finished: number;
}

/** A batch in flight, as its caller sees it: where its claim word is, for sharing (`Engine.share`). */
export class Flight {
  /** Claim slot of the attempt running now; `NO_CLAIM` between attempts and once answered. */
  slot = NO_CLAIM;
  /** Index in the original request of the running attempt's first item (a resend starts later). */
  offset = 0;
  /** The worker thread the running attempt was given to; -1 until piscina picks one. */
  threadId = -1;
}

/** Kernel-side record of one message; piscina hands it back to our balancer through `queueOptionsSymbol`. */
interface Batch {
  owner: BatchOwner;
  request: BatchRequest;
  payload: ShippedFunction;
  forcePayload: boolean;
  threadId: number;
  flight: Flight | undefined;
  /** Milliseconds each item may run (Infinity: no limit), watched by `checkTimeouts`. */
  timeout: number;
  /** Set by the watchdog when it ended the worker: the batch-local index of the item that ran too long. */
  timedOut: number;
  /** The watchdog's last look: the progress word it saw (./progress), and when (performance.now()). */
  seenItem: number;
  seenAt: number;
}

export interface EngineOptions {
  processes: number;
  initializer: ShippedFunction | null;
  initargs: readonly unknown[];
  maxTasksPerChild: number;
  idleTimeout: number;
  resourceLimits: ResourceLimits | undefined;
}

export class Engine {
  readonly processes: number;
  private readonly piscina: Piscina;
  private readonly retiredTable = new Int32Array(new SharedArrayBuffer(RETIRED_SLOTS * 4));
  private readonly claims = new ClaimTable();
  private readonly progress = newProgressTable();
  private nextToken = 0;
  /** Batches with a timeout; the watchdog timer runs while there are any. */
  private readonly watched = new Set<Batch>();
  private watchdog: NodeJS.Timeout | undefined;
  private watchEvery = Infinity;
  /** Function ids each worker thread holds (or will hold, once it reads the message already sent). */
  private readonly cached = new Map<number, Set<string>>();
  private readonly inFlight = new Map<number, number>();
  private readonly retiring = new Set<number>();
  /** Threads we ended on purpose; their unfinished batches are sent again, not reported as crashes. */
  private readonly killed = new Set<number>();
  private readonly owners = new Set<BatchOwner>();
  private readonly posted = new Set<Batch>();
  private broken: BrokenPoolError | undefined;
  /** Workers started since the last answer while none was left (./checkStarved). */
  private starts = 0;
  private ended: Error | undefined;

  constructor(options: EngineOptions) {
    this.processes = options.processes;
    const setup: WorkerSetup = {
      initializer: options.initializer,
      initargs: options.initargs,
      maxTasksPerChild: options.maxTasksPerChild,
      retired: this.retiredTable,
      claims: this.claims.table,
      progress: this.progress,
    };
    // Retired workers are replaced through piscina's minimum: recycling keeps the pool full.
    const keepWorkers = options.idleTimeout === Infinity || options.maxTasksPerChild > 0;
    this.piscina = new Piscina({
      filename: workerFile(),
      minThreads: keepWorkers ? options.processes : 0,
      maxThreads: options.processes,
      idleTimeout: options.idleTimeout,
      concurrentTasksPerWorker: DEPTH,
      maxQueue: Infinity,
      workerData: setup,
      resourceLimits: options.resourceLimits,
      loadBalancer: this.balance,
    });
    // piscina emits 'error' for a worker that fails with no task on it; without a listener that would crash the kernel.
    this.piscina.on("error", () => undefined);
    // After the destroy, in the next turn: piscina starts a replacement (or not) once it has removed the worker.
    this.piscina.on("workerDestroy", () => void setImmediate(this.checkStarved));
  }

  /**
   * piscina stops replacing workers that die as they start (during bootstrap), and starts none for
   * work already queued when its workers die with no minimum to keep: the queued batches would wait
   * forever. A message then makes it start one; when workers keep dying before running anything
   * (an initializer that calls process.exit, resourceLimits too small to start), the pool breaks.
   */
  private readonly checkStarved = (): void => {
    if (this.ended !== undefined || this.piscina.threads.length > 0) return;
    if (![...this.posted].some((batch) => batch.threadId < 0)) return;
    if (++this.starts > 2 * this.processes) {
      this.broken ??= new BrokenPoolError(
        `The pool's worker threads exit as they start, before running any task (${this.starts - 1} in a row): the pool's initializer calls process.exit() ` +
          `or ends its thread, or resourceLimits leave too little heap for a worker to start. No task runs in this pool: fix that and create a new Pool.`,
      );
      void this.shutDown(this.broken);
      return;
    }
    // An empty batch: the worker answers "miss" (or runs the initializer first), and nothing runs.
    const nudge: BatchRequest = { fnId: "", star: false, start: 0, items: [], chunksize: 1, stopOnError: true, claim: NO_CLAIM, token: 0 };
    void this.piscina.run(nudge).catch(() => undefined);
  };

  /** Live worker threads (for tests and diagnostics). */
  get threads(): readonly Worker[] {
    return this.piscina.threads;
  }

  register(owner: BatchOwner): void {
    if (this.ended !== undefined) throw this.ended;
    this.owners.add(owner);
  }

  unregister(owner: BatchOwner): void {
    this.owners.delete(owner);
  }

  /** The error every new call gets, when the pool can take no more work. */
  get failure(): Error | undefined {
    return this.ended;
  }

  /**
   * Runs one batch to its end, resending it (or what a retiring worker left) as needed. Through
   * `flight` the caller can share out unclaimed items of it to another worker (`share`): those are
   * then not part of this batch's result. When its worker dies or runs an item past `timeout` ms,
   * only the item that was running fails (`WorkerCrashedError`, `TimeoutError`); the others run again.
   */
  async run(owner: BatchOwner, payload: ShippedFunction, request: BatchRequest, flight?: Flight, timeout = Infinity): Promise<BatchResult> {
    let current = request;
    let forcePayload = false;
    let misses = 0;
    let resends = 0;
    const parts: BatchResult[] = [];
    for (;;) {
      const count = current.items.length;
      current.claim = this.claims.open(count);
      current.token = this.token();
      if (flight !== undefined) {
        flight.slot = current.claim;
        flight.offset = current.start - request.start;
        flight.threadId = -1;
      }
      const batch: Batch = { owner, request: current, payload, forcePayload, threadId: -1, flight, timeout, timedOut: -1, seenItem: -1, seenAt: 0 };
      let response: BatchResponse;
      try {
        response = await this.post(batch);
      } catch (error) {
        // Read before the claim closes: the item the worker was on when it died (-1: none of this batch).
        const item = batch.threadId < 0 ? -1 : itemRunning(this.progress, batch.threadId, current.token) - 1;
        const end = this.closeClaim(current.claim, count, flight);
        if (this.ended !== undefined) throw this.ended;
        const first = current.start;
        if (owner.stopped) throw crashed(error, batch.threadId, `items ${first}..${first + end - 1}`);
        const blameless = batch.timedOut < 0 && (item < 0 || item >= end || this.killed.has(batch.threadId));
        if (blameless) {
          // Ended for another call's sake, or it died before this batch began: nothing of it is at fault.
          if (++resends < MAX_RESENDS) {
            current = withItems(current, 0, end);
            continue;
          }
          throw crashed(error, batch.threadId, `items ${first}..${first + end - 1}`, ` It was sent ${resends} times and each time its worker died before it began an item.`);
        }
        const failed = batch.timedOut >= 0 ? batch.timedOut : item;
        const failure = batch.timedOut >= 0 ? timedOut(first + failed, timeout, batch.threadId) : crashed(error, batch.threadId, first + failed);
        parts.push(...(await this.around(owner, payload, current, failed, end, failure, batch.threadId, timeout)));
        break;
      }
      // Items from `end` on were shared out to another worker while this one ran.
      const end = this.closeClaim(current.claim, count, flight);
      switch (response.kind) {
        case "miss":
          // The last messages carried the function: a worker that still lacks it is a Lanes bug, not a crash.
          if (++misses >= MAX_ATTEMPTS) {
            throw new InternalError(
              `Worker thread ${response.threadId} answered ${misses} times that it does not hold the task function "${payload.name}", ` +
                `though the messages after the first carried it. This is a bug in Lanes, not in your task: please report it. ` +
                `Running the call again usually works.`,
            );
          }
          forcePayload = true;
          current = withItems(current, 0, end);
          continue;
        case "init-error":
          throw this.breakPool(response.threadId, response.error);
        case "load-error":
          throw loadError(payload, response.threadId, response.error);
        case "done":
          break;
      }
      parts.push(fromResponse(response));
      forcePayload = false;
      const stoppedAtError = current.stopOnError && response.errors.length > 0;
      if (owner.stopped || response.ran >= end || stoppedAtError) break;
      // The worker retired part-way: send the rest, from where it stopped.
      current = withItems(current, response.ran, end);
    }
    return merge(parts);
  }

  /**
   * Item `failed` of `request` failed with `failure` (its worker died or was ended), with the results
   * of the items before it lost with the worker: runs those again, and the items after it (once more
   * items may run, with `stopOnError: false`), side by side on the other workers. Returns the parts
   * in input order, up to the first part that stopped short.
   */
  private async around(
    owner: BatchOwner,
    payload: ShippedFunction,
    request: BatchRequest,
    failed: number,
    end: number,
    failure: WorkerCrashedError | TimeoutError,
    threadId: number,
    timeout: number,
  ): Promise<BatchResult[]> {
    const at = performance.timeOrigin + performance.now();
    const item: BatchResult = { results: [undefined], ran: 1, errors: [{ index: request.start + failed, error: failure }], busyMs: 0, threadId, started: at, finished: at };
    const before = failed > 0 ? this.run(owner, payload, withItems(request, 0, failed), undefined, timeout) : undefined;
    const after = !request.stopOnError && failed + 1 < end ? this.run(owner, payload, withItems(request, failed + 1, end), undefined, timeout) : undefined;
    const [a, b] = await Promise.all([before, after]);
    if (a !== undefined && a.ran < failed) return [a];
    return [a, item, b].filter((part) => part !== undefined);
  }

  private token(): number {
    this.nextToken = (this.nextToken % 0x7fffffff) + 1;
    return this.nextToken;
  }

  /** Watches a batch with a timeout; the timer ticks often enough to end an item within about a tenth of its limit. */
  private watch(batch: Batch): void {
    this.watched.add(batch);
    const every = Math.min(WATCH_MAX_MS, Math.max(WATCH_MIN_MS, Math.floor(batch.timeout / 10)));
    if (this.watchdog !== undefined && every >= this.watchEvery) return;
    clearInterval(this.watchdog);
    this.watchEvery = every;
    this.watchdog = setInterval(this.checkTimeouts, every);
    // Never what keeps Node alive: a running worker does that.
    this.watchdog.unref();
  }

  /**
   * Ends the worker of every watched batch whose item has run `timeout` ms. Measured from when this
   * thread first saw the item running (the worker's own progress word), so an item is never ended
   * early, and at most one tick late; a batch waiting behind another on its worker is not timed.
   */
  private readonly checkTimeouts = (): void => {
    if (this.watched.size === 0) {
      clearInterval(this.watchdog);
      this.watchdog = undefined;
      this.watchEvery = Infinity;
      return;
    }
    const t = performance.now();
    for (const batch of this.watched) {
      if (batch.threadId < 0) continue;
      const item = itemRunning(this.progress, batch.threadId, batch.request.token);
      if (item <= 0) {
        batch.seenItem = -1;
      } else if (item !== batch.seenItem) {
        batch.seenItem = item;
        batch.seenAt = t;
      } else if (t - batch.seenAt >= batch.timeout) {
        batch.timedOut = item - 1;
        this.watched.delete(batch);
        this.kill(batch.threadId);
      }
    }
  };

  private closeClaim(slot: number, count: number, flight: Flight | undefined): number {
    if (flight !== undefined) flight.slot = NO_CLAIM;
    return this.claims.close(slot, count);
  }

  /**
   * Shares out the unclaimed back half of a running batch to another worker: items `[from, to)` of
   * the request `run` was given, or undefined when nothing of it is left unclaimed.
   */
  share(flight: Flight): [number, number] | undefined {
    // Still in piscina's queue: the next free worker takes it whole anyway.
    if (flight.threadId < 0) return undefined;
    // A message waiting behind another on its worker may not start for long: share all of it.
    const waiting = (this.inFlight.get(flight.threadId) ?? 0) > 1;
    const shared = this.claims.share(flight.slot, waiting);
    return shared === undefined ? undefined : [flight.offset + shared[0], flight.offset + shared[1]];
  }

  /** Items of a running batch nobody has claimed yet. */
  unclaimed(flight: Flight): number {
    return this.claims.unclaimed(flight.slot);
  }

  /**
   * Workers with nothing to run right now (counting those piscina has yet to start), less the
   * messages still waiting in piscina's queue for a worker: the next free worker takes those.
   */
  idleWorkers(): number {
    let busy = 0;
    for (const n of this.inFlight.values()) if (n > 0) busy++;
    for (const batch of this.posted) if (batch.threadId < 0) busy++;
    return Math.max(0, this.processes - busy);
  }

  private post(batch: Batch): Promise<BatchResponse> {
    const message = batch.request as BatchRequest & Record<symbol, Batch>;
    // Symbol keys do not cross the thread boundary; the balancer reads the batch through it.
    message[kQueueOptions] = batch;
    this.posted.add(batch);
    if (batch.timeout < Infinity) this.watch(batch);
    return (this.piscina.run(message) as Promise<BatchResponse>).then(
      (response) => {
        this.starts = 0;
        this.posted.delete(batch);
        this.watched.delete(batch);
        this.settled(batch.threadId, response.kind === "done" && response.retired);
        if (response.kind === "miss") this.cached.get(response.threadId)?.delete(batch.request.fnId);
        this.freed(batch.owner);
        return response;
      },
      (error: unknown) => {
        this.posted.delete(batch);
        this.watched.delete(batch);
        this.settled(batch.threadId, false);
        this.forget(batch.threadId);
        this.freed(batch.owner);
        throw error;
      },
    );
  }

  /**
   * A message of `owner` was answered. Its own call shares on its result; the others are told here,
   * or a worker freed by one call would sit idle beside another call's unclaimed items.
   */
  private freed(owner: BatchOwner): void {
    for (const other of [...this.owners]) if (other !== owner) other.workerFreed();
  }

  /** piscina's load balancer: least busy worker that has not retired; fills in the payload if that worker lacks it. */
  private readonly balance: Balancer = (task, workers) => {
    let best: PiscinaWorker | null = null;
    for (const worker of workers) {
      if (worker.terminating || worker.destroyed || worker.currentUsage >= DEPTH) continue;
      if (this.isRetired(worker.id) || this.killed.has(worker.id)) continue;
      if (best === null || worker.currentUsage < best.currentUsage) best = worker;
      if (worker.currentUsage === 0) break;
    }
    const batch = (task as unknown as Record<symbol, Batch | null | undefined>)[kQueueOptions];
    if (best !== null && batch != null) this.assign(batch, best.id);
    return best;
  };

  private assign(batch: Batch, threadId: number): void {
    batch.threadId = threadId;
    if (batch.flight !== undefined) batch.flight.threadId = threadId;
    this.inFlight.set(threadId, (this.inFlight.get(threadId) ?? 0) + 1);
    let ids = this.cached.get(threadId);
    if (ids === undefined) this.cached.set(threadId, (ids = new Set()));
    const { request, payload } = batch;
    // A call that stopped while this message waited in piscina's queue: send nothing to run.
    if (batch.owner.stopped) request.items = [];
    if (batch.forcePayload || !ids.has(request.fnId)) {
      request.fn = payload;
      ids.add(request.fnId);
    } else {
      delete request.fn;
    }
  }

  private isRetired(threadId: number): boolean {
    return Atomics.load(this.retiredTable, threadId % RETIRED_SLOTS) === threadId;
  }

  private settled(threadId: number, retired: boolean): void {
    if (threadId < 0) return;
    const left = (this.inFlight.get(threadId) ?? 1) - 1;
    this.inFlight.set(threadId, left);
    if (retired) this.retiring.add(threadId);
    if (left === 0 && this.retiring.has(threadId)) this.kill(threadId);
  }

  private forget(threadId: number): void {
    this.cached.delete(threadId);
    this.inFlight.delete(threadId);
    this.retiring.delete(threadId);
  }

  /** Ends the threads running `owner`'s batches (an aborted call); other calls' batches on them are sent again. */
  killOwner(owner: BatchOwner): void {
    for (const batch of this.posted) {
      if (batch.owner === owner && batch.threadId >= 0) this.kill(batch.threadId);
    }
  }

  /** Ends one worker thread now; piscina starts a replacement. */
  kill(threadId: number): void {
    const worker = this.piscina.threads.find((w) => w.threadId === threadId);
    this.killed.add(threadId);
    this.forget(threadId);
    // Thread ids are never reused, so the id can go once the thread is gone and the calls it failed
    // have looked it up (their rejections settle in microtasks, before the next macrotask).
    const drop = (): void => void setImmediate(() => this.killed.delete(threadId));
    if (worker === undefined) return drop();
    worker.once("exit", drop);
    void worker.terminate();
  }

  /** Threads ended on purpose whose exit is still being handled (for tests: it must not grow). */
  get killedCount(): number {
    return this.killed.size;
  }

  private breakPool(threadId: number, error: WireError): BrokenPoolError {
    if (this.broken === undefined) {
      const cause = new RemoteError(error);
      this.broken = new BrokenPoolError(
        `The pool's initializer threw in worker thread ${threadId}: ${error.name}: ${error.message}. ` +
          `No task runs in this pool: fix the initializer (its stack is in error.cause) and create a new Pool.`,
        { cause },
      );
      void this.shutDown(this.broken);
    }
    return this.broken;
  }

  /** Fails every running call with `error` and ends the threads running them; the pool stays usable. */
  interrupt(error: Error): void {
    for (const owner of [...this.owners]) {
      this.killOwner(owner);
      owner.fail(error);
    }
  }

  /** Fails every running call with `error`, and ends all workers. Later calls get `error` too. */
  shutDown(error: Error): Promise<void> {
    this.ended ??= error;
    for (const owner of [...this.owners]) owner.fail(error);
    this.owners.clear();
    return this.piscina.destroy();
  }

  /** Waits for running calls' workers to finish, then ends the workers. */
  async close(): Promise<void> {
    this.ended ??= new PoolClosedError("The pool was closed and joined while this call was still running; create a new Pool to run it");
    await this.piscina.close();
    await this.piscina.destroy();
  }
}

/** Node's code for a worker that reached its heap limit (the error piscina fails its tasks with). */
const OUT_OF_MEMORY = "ERR_WORKER_OUT_OF_MEMORY";

/**
 * The error for an item (a number) or a range of items (words) whose worker died: `error` is what
 * piscina failed the message with ("worker exited with code: N", or Node's out-of-memory error).
 */
function crashed(error: unknown, threadId: number, items: number | string, more = ""): WorkerCrashedError {
  const index = typeof items === "number" ? items : undefined;
  const what = typeof items === "number" ? `item ${items}` : items;
  const cause = error instanceof Error ? error : new Error(String(error));
  if ((cause as { code?: unknown }).code === OUT_OF_MEMORY) {
    return new WorkerOutOfMemoryError(
      `Worker thread ${threadId} ran out of memory while running ${what}: ${cause.message}. The worker was ended and replaced, and the kernel is unaffected. ` +
        `Use less memory per item (smaller chunks of data, streaming), or raise the pool's resourceLimits (maxOldGenerationSizeMb).${more}`,
      { index, threadId, cause },
    );
  }
  const code = /exited with code:? (-?\d+)/.exec(cause.message)?.[1];
  const exitCode = code === undefined ? undefined : Number(code);
  return new WorkerCrashedError(
    `Worker thread ${threadId} died while running ${what}${exitCode === undefined ? `: ${cause.message}` : ` (exit code ${exitCode})`}. ` +
      `A task that calls process.exit(), or throws from a callback outside the task (a timer, an event handler), ends its worker. ` +
      `The worker was replaced; with stopOnError: false the call's other items still run.${more}`,
    { index, exitCode, threadId, cause },
  );
}

function timedOut(index: number, timeout: number, threadId: number): TimeoutError {
  return new TimeoutError(
    `Item ${index} ran longer than the call's timeout of ${timeout} ms, so its worker thread ${threadId} was ended and replaced. ` +
      `Raise \`timeout\` if the item needs longer; with stopOnError: false the call's other items still run.`,
    { index, timeout },
  );
}

function loadError(payload: ShippedFunction, threadId: number, error: WireError): FunctionLoadError {
  return new FunctionLoadError(
    `The task function "${payload.name}" could not be rebuilt in worker thread ${threadId}, so the task never ran there: ` +
      `${error.name}: ${error.message}. Everything it refers to must load in a worker thread too: a module it requires, ` +
      `and a transfer handler it needs (register it in the workers from the pool's initializer). The worker's stack is in error.cause.`,
    { functionName: payload.name, threadId, cause: new RemoteError(error) },
  );
}

/** `request` with only its items `[from, to)` (the same object when that is all of them). */
function withItems(request: BatchRequest, from: number, to: number): BatchRequest {
  if (from === 0 && to === request.items.length) return request;
  const { fnId, star, chunksize, stopOnError } = request;
  return { fnId, star, chunksize, stopOnError, claim: NO_CLAIM, token: 0, start: request.start + from, items: sliceItems(request.items, from, to) };
}

function fromResponse(response: Extract<BatchResponse, { kind: "done" }>): BatchResult {
  const { ran, errors, threadId, started, finished } = response;
  return { results: unpackItems(response.results), ran, errors, busyMs: finished - started, threadId, started, finished };
}

/** Consecutive parts of one batch as one result. */
function merge(parts: BatchResult[]): BatchResult {
  const first = parts[0]!;
  if (parts.length === 1) return first;
  let results = first.results;
  let ran = first.ran;
  let errors = first.errors;
  let busyMs = first.busyMs;
  for (const part of parts.slice(1)) {
    const more = part.results;
    results = results instanceof Float64Array && more instanceof Float64Array ? concatFloat(results, more) : [...results, ...more];
    ran += part.ran;
    errors = errors.concat(part.errors);
    busyMs += part.busyMs;
  }
  const last = parts[parts.length - 1]!;
  return { results, ran, errors, busyMs, threadId: last.threadId, started: Math.min(...parts.map((p) => p.started)), finished: Math.max(...parts.map((p) => p.finished)) };
}

function concatFloat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
