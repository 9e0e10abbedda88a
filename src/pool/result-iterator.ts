import { failureError, type ItemFailure } from "./item-error";
import { AggregateTaskError, type TaskError } from "../errors";
import { asError, type Job, type Sink } from "./job";
import type { ItemList } from "./protocol";

/** What drives the iterator: a local Job, or a distributed pool's RemoteJob. */
type Runner = Pick<Job, "start" | "consumed" | "cancel">;

interface Block {
  start: number;
  values: ItemList;
  count: number;
  /** Input indexes of failed items in this block. */
  failed: Map<number, ItemFailure> | undefined;
}

/**
 * The sink of `imap` / `imapUnordered`: an async iterator yielding one result per item as results
 * arrive (in input order, or in arrival order), telling the job each time one is taken so it reads
 * more input only as the loop keeps up.
 */
export class ResultIterator<R> implements Sink, AsyncIterableIterator<R> {
  private readonly blocks = new Map<number, Block>();
  private readonly arrived: Block[] = [];
  private block: Block | undefined;
  private pos = 0;
  /** Ordered: input index of the next result to yield. */
  private nextIndex = 0;
  /** Results taken so far, failed ones included (unordered: the next index is no count). */
  private taken = 0;
  private ended = false;
  private done = false;
  private failure: Error | undefined;
  private readonly errors: TaskError[] = [];
  private waiter: { resolve: (r: IteratorResult<R>) => void; reject: (e: unknown) => void } | undefined;
  private job: Runner | undefined;

  constructor(private readonly ordered: boolean, private readonly stopOnError: boolean) {}

  /** Starts `job` with this iterator as its sink; `setupError` (not shippable, pool closed …) is thrown by the first `next()`. */
  attach(job: Runner | undefined, setupError?: Error): this {
    if (setupError !== undefined || job === undefined) {
      this.failure = setupError;
      this.ended = true;
      return this;
    }
    this.job = job;
    job.start(this);
    return this;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<R>> {
    if (this.waiter !== undefined) {
      return Promise.reject(new Error("next() called again before the previous next() settled; await each result in turn"));
    }
    try {
      const step = this.step();
      if (step !== undefined) return Promise.resolve(step);
    } catch (error) {
      return Promise.reject(asError(error));
    }
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<R>> {
    this.close();
    return Promise.resolve({ done: true, value: undefined });
  }

  // Sink side.
  results(start: number, values: ItemList, count: number, failed: ItemFailure[]): void {
    let failedMap: Map<number, ItemFailure> | undefined;
    if (failed.length > 0) failedMap = new Map(failed.map((f) => [f.index, f]));
    const block: Block = { start, values, count, failed: failedMap };
    if (this.ordered) this.blocks.set(start, block);
    else this.arrived.push(block);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: Error): void {
    this.failure ??= error;
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    // Taken before stepping: taking a result can end the job, which wakes us again re-entrantly.
    this.waiter = undefined;
    let step: IteratorResult<R> | undefined;
    try {
      step = this.step();
    } catch (error) {
      return waiter.reject(error);
    }
    if (step === undefined) this.waiter = waiter;
    else waiter.resolve(step);
  }

  /** The next step if one is ready (throws a failure), or undefined to wait. */
  private step(): IteratorResult<R> | undefined {
    for (;;) {
      if (this.done) return { done: true, value: undefined };
      const block = this.current();
      if (block === undefined) {
        if (this.failure !== undefined) return this.throwFailure();
        if (!this.ended) return undefined;
        this.finish();
        if (this.errors.length > 0) throw new AggregateTaskError<R>(this.errors, [], this.taken);
        return { done: true, value: undefined };
      }
      const i = this.pos++;
      const index = block.start + i;
      this.nextIndex = index + 1;
      this.taken++;
      this.job?.consumed(1);
      const failed = block.failed?.get(index);
      if (failed === undefined) return { done: false, value: block.values[i] as R };
      const error = failureError(failed);
      if (this.stopOnError) {
        this.failure = error;
        return this.throwFailure();
      }
      this.errors.push(error);
    }
  }

  /** The block holding the next result, advancing past exhausted ones. */
  private current(): Block | undefined {
    if (this.block !== undefined && this.pos < this.block.count) return this.block;
    this.block = undefined;
    const next = this.ordered ? this.blocks.get(this.nextIndex) : this.arrived.shift();
    if (next === undefined) return undefined;
    if (this.ordered) this.blocks.delete(this.nextIndex);
    this.block = next;
    this.pos = 0;
    return next.count > 0 ? next : this.current();
  }

  private throwFailure(): never {
    const failure = this.failure!;
    this.finish();
    throw failure;
  }

  private finish(): void {
    this.done = true;
    this.blocks.clear();
    this.arrived.length = 0;
    this.block = undefined;
    this.job?.cancel();
  }

  private close(): void {
    if (this.done) return;
    this.finish();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve({ done: true, value: undefined });
  }
}
