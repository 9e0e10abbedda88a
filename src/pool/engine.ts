/**
 * The worker side of a Pool: piscina plus what piscina does not do for us — each function payload
 * sent once per worker, workers retired after `maxTasksPerChild` tasks, crashes named, a broken
 * initializer stopping the pool instead of respawning in a loop.
 */
import { Piscina } from "piscina";
import type { Worker } from "node:worker_threads";
import type { ShippedFunction } from "../ship";
import { AbortError, BrokenPoolError, RemoteError, WorkerCrashedError } from "../errors";
import type { BatchRequest, BatchResponse, ItemError, Values, WireError, WorkerSetup } from "./protocol";
import { sliceItems, unpackItems } from "./items";
import { workerFile } from "./worker-file";

type Balancer = NonNullable<NonNullable<ConstructorParameters<typeof Piscina>[0]>["loadBalancer"]>;
type PiscinaWorker = Parameters<Balancer>[1][number];

const kQueueOptions = Piscina.queueOptionsSymbol;
/** Messages one worker may hold at once: one running, one waiting, so it never idles between them. */
export const DEPTH = 2;
const RETIRED_SLOTS = 4096;
const MAX_ATTEMPTS = 4;

/** A call that has batches in flight; the engine fails it when the pool breaks or is terminated. */
export interface BatchOwner {
  readonly stopped: boolean;
  fail(error: Error): void;
}

/** What a batch became, after any resending (cache miss, retired worker) was done. */
export interface BatchResult {
  results: Values;
  /** Items run (fewer than sent only when the call stops at an error). */
  ran: number;
  errors: ItemError[];
  /** Worker-side milliseconds spent running the items. */
  busyMs: number;
  threadId: number;
  started: number;
  finished: number;
}

/** Kernel-side record of one message; piscina hands it back to our balancer through `queueOptionsSymbol`. */
interface Batch {
  owner: BatchOwner;
  request: BatchRequest;
  payload: ShippedFunction;
  forcePayload: boolean;
  threadId: number;
}

export interface EngineOptions {
  processes: number;
  initializer: ShippedFunction | null;
  initargs: readonly unknown[];
  maxTasksPerChild: number;
  idleTimeout: number;
}

export class Engine {
  readonly processes: number;
  private readonly piscina: Piscina;
  private readonly retiredTable = new Int32Array(new SharedArrayBuffer(RETIRED_SLOTS * 4));
  /** Function ids each worker thread holds (or will hold, once it reads the message already sent). */
  private readonly cached = new Map<number, Set<string>>();
  private readonly inFlight = new Map<number, number>();
  private readonly retiring = new Set<number>();
  /** Threads we ended on purpose; their unfinished batches are sent again, not reported as crashes. */
  private readonly killed = new Set<number>();
  private readonly owners = new Set<BatchOwner>();
  private readonly posted = new Set<Batch>();
  private broken: BrokenPoolError | undefined;
  private ended: Error | undefined;

  constructor(options: EngineOptions) {
    this.processes = options.processes;
    const setup: WorkerSetup = {
      initializer: options.initializer,
      initargs: options.initargs,
      maxTasksPerChild: options.maxTasksPerChild,
      retired: this.retiredTable,
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
      loadBalancer: this.balance,
    });
    // piscina emits 'error' for a worker that fails with no task on it; without a listener that would crash the kernel.
    this.piscina.on("error", () => undefined);
  }

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

  /** Runs one batch to its end, resending it (or what a retiring worker left) as needed. */
  async run(owner: BatchOwner, payload: ShippedFunction, request: BatchRequest): Promise<BatchResult> {
    let current = request;
    let forcePayload = false;
    let attempts = 0;
    const parts: Extract<BatchResponse, { kind: "done" }>[] = [];
    for (;;) {
      const batch: Batch = { owner, request: current, payload, forcePayload, threadId: -1 };
      let response: BatchResponse;
      try {
        response = await this.post(batch);
      } catch (error) {
        if (this.ended !== undefined) throw this.ended;
        if (!owner.stopped && this.killed.has(batch.threadId) && ++attempts < MAX_ATTEMPTS) continue;
        const last = current.start + current.items.length - 1;
        throw new WorkerCrashedError(
          `The worker thread (thread ${batch.threadId}) died while running items ${current.start}..${last}: ` +
            `${error instanceof Error ? error.message : String(error)}. A task that calls process.exit(), ` +
            `runs out of memory or throws from a callback outside the task kills its worker.`,
          { cause: error },
        );
      }
      switch (response.kind) {
        case "miss":
          if (++attempts >= MAX_ATTEMPTS) throw new WorkerCrashedError(`worker thread ${response.threadId} kept losing the task function`);
          forcePayload = true;
          continue;
        case "init-error":
          throw this.breakPool(response.threadId, response.error);
        case "load-error":
          throw new RemoteError(response.error);
        case "done":
          break;
      }
      parts.push(response);
      forcePayload = false;
      const stoppedAtError = current.stopOnError && response.errors.length > 0;
      if (response.ran >= current.items.length || stoppedAtError) break;
      // The worker retired part-way: send it the rest, at the chunk boundary where it stopped.
      const { fnId, star, chunksize, stopOnError } = current;
      current = { fnId, star, chunksize, stopOnError, start: current.start + response.ran, items: sliceItems(current.items, response.ran) };
    }
    return merge(parts);
  }

  private post(batch: Batch): Promise<BatchResponse> {
    const message = batch.request as BatchRequest & Record<symbol, Batch>;
    // Symbol keys do not cross the thread boundary; the balancer reads the batch through it.
    message[kQueueOptions] = batch;
    this.posted.add(batch);
    return (this.piscina.run(message) as Promise<BatchResponse>).then(
      (response) => {
        this.posted.delete(batch);
        this.settled(batch.threadId, response.kind === "done" && response.retired);
        if (response.kind === "miss") this.cached.get(response.threadId)?.delete(batch.request.fnId);
        return response;
      },
      (error: unknown) => {
        this.posted.delete(batch);
        this.settled(batch.threadId, false);
        this.forget(batch.threadId);
        throw error;
      },
    );
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
    this.ended ??= new AbortError("the pool was closed");
    await this.piscina.close();
    await this.piscina.destroy();
  }
}

function merge(parts: Extract<BatchResponse, { kind: "done" }>[]): BatchResult {
  const first = parts[0]!;
  let results = unpackItems(first.results);
  let ran = first.ran;
  let errors = first.errors;
  let busyMs = first.finished - first.started;
  for (const part of parts.slice(1)) {
    const more = unpackItems(part.results);
    results = results instanceof Float64Array && more instanceof Float64Array ? concatFloat(results, more) : [...results, ...more];
    ran += part.ran;
    errors = errors.concat(part.errors);
    busyMs += part.finished - part.started;
  }
  const last = parts[parts.length - 1]!;
  return { results, ran, errors, busyMs, threadId: last.threadId, started: first.started, finished: last.finished };
}

function concatFloat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
