/**
 * One call (map, imap, starmap, apply) on a distributed pool: the remote twin of src/pool/job.ts,
 * feeding the same sinks (collect for map, ResultIterator for imap). Each chunk is one BullMQ job,
 * signed; results come back through the pool's result list and are kept once per chunk (BullMQ
 * delivers at least once), so every item is in the result exactly once, at its input index.
 */
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { serialize } from "node:v8";
import { AbortError, FunctionLoadError, NotDistributableError, RemoteError, TimeoutError, WorkerCrashedError } from "../errors";
import type { ShippedFunction } from "../ship";
import type { JobSpec, Sink } from "../pool/job";
import { unpackItems } from "../pool/items";
import type { ItemError, PackedItems } from "../pool/protocol";
import type { ItemFailure } from "../pool/item-error";
import type { RedisBackend, RemoteCall } from "./backend";
import { SWEEP_MS } from "./backend";
import { seal, type Envelope } from "./envelope";
import { transferHandlerIn } from "./transfer-check";
import { LANES_TIMEOUT, bullJobKey, CALL_TTL_MS, jobId, keys, type ChunkResult, type ChunkTask } from "./protocol";

/** Jobs per `addBulk`: larger bulks add seconds of latency (notes/distributed.md, trap 6). */
const BULK = 500;

/** A local job's spec, on a cluster's backend instead of the engine. */
export interface RemoteJobSpec extends Omit<JobSpec, "engine" | "timeout"> {
  backend: RedisBackend;
  /** Milliseconds per item, 0 for none. */
  timeout: number;
}

interface Chunk {
  readonly start: number;
  readonly count: number;
  readonly envelope: Envelope;
  span: number;
  /** Sweeps in a row that found no job for this chunk (it was lost with a Redis restart). */
  missing: number;
}

export class RemoteJob implements RemoteCall {
  readonly id = randomBytes(8).toString("hex");
  stopped = false;
  private sink: Sink | undefined;
  private readonly chunks = new Map<number, Chunk>();
  private nextChunk = 0;
  private itemsRead = 0;
  private outstanding = 0;
  private sourceDone = false;
  private pumping = false;
  private refresh: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly onAbort = (): void => this.abort();
  private markDone!: () => void;
  readonly done = new Promise<void>((resolve) => (this.markDone = resolve));

  constructor(private readonly spec: RemoteJobSpec) {}

  private get callKey(): string {
    return keys.call(this.spec.backend.queueName, this.id);
  }

  start(sink: Sink): void {
    this.sink = sink;
    const { signal } = this.spec;
    if (signal?.aborted === true) return this.fail(abortError(signal));
    signal?.addEventListener("abort", this.onAbort, { once: true });
    void this.begin().catch((error: unknown) => this.fail(asError(error)));
  }

  consumed(n: number): void {
    this.outstanding -= n;
    if (!this.stopped && this.outstanding < this.spec.window) this.pump();
  }

  cancel(): void {
    if (this.stopped) return;
    void this.finish();
    this.spec.trace?.stopped();
  }

  fail(error: Error): void {
    if (this.stopped) return;
    this.cancel();
    this.sink?.fail(error);
  }

  onResult(result: ChunkResult): void {
    if (this.stopped) return;
    const chunk = this.chunks.get(result.chunk);
    if (chunk === undefined) return; // A second delivery of a chunk already kept.
    if (result.kind === "load-error") {
      const { payload } = this.spec;
      return this.fail(
        new FunctionLoadError(
          `The task function "${payload.name}" could not be rebuilt on the worker ${result.worker}, so the task never ran there: ${result.error.name}: ${result.error.message}. ` +
            `Every machine of the cluster needs what the function refers to: the same npm packages, and the notebook's local modules (shipped when they are TypeScript files the kernel compiled).`,
          { functionName: payload.name, threadId: -1, cause: new RemoteError(result.error) },
        ),
      );
    }
    if (result.kind === "crashed") {
      return this.fail(
        new WorkerCrashedError(
          `The worker thread on ${result.worker} died while running items ${chunk.start}..${chunk.start + chunk.count - 1}: ${result.message}. ` +
            `A task that calls process.exit(), runs out of memory or throws from a callback outside the task kills its worker thread.`,
        ),
      );
    }
    this.chunks.delete(result.chunk);
    const { trace } = this.spec;
    if (trace !== undefined && chunk.span >= 0) {
      trace.ran(chunk.span, {
        results: [],
        ran: result.ran,
        errors: result.errors,
        busyMs: result.finished - result.started,
        threadId: this.spec.backend.laneKey(result.worker, result.threadId),
        started: result.started,
        finished: result.finished,
      });
    }
    if (result.errors.length > 0 && this.spec.stopOnError) {
      this.sourceDone = true;
      this.spec.source.close();
    }
    this.sink!.results(result.start, unpackItems(result.results), result.ran, result.errors.map(asTimeout));
    // With stopOnError the sink stops the call (map) or yields up to the failed item first (imap), as locally.
    if (!this.stopped) this.pump();
  }

  /** Redis came back: recreate the call's key and queue again every chunk that has not come back (ids already queued are ignored). */
  resubmit(): void {
    if (this.stopped) return;
    void (async () => {
      await this.spec.backend.commands.set(this.callKey, "1", "PX", CALL_TTL_MS);
      await this.add([...this.chunks.entries()]);
    })().catch((error: unknown) => this.fail(asError(error)));
  }

  private async begin(): Promise<void> {
    const { backend, payload } = this.spec;
    await backend.connect();
    if (this.stopped) return;
    checkPayload(payload);
    backend.register(this);
    await backend.commands.set(this.callKey, "1", "PX", CALL_TTL_MS);
    this.refresh = setInterval(() => void backend.commands.pexpire(this.callKey, CALL_TTL_MS).catch(() => undefined), CALL_TTL_MS / 4);
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), SWEEP_MS);
    this.pump();
  }

  /** Reads and queues chunks while the window has room; a call over an array queues all of it, checked first. */
  private pump(): void {
    if (this.stopped || this.pumping) return;
    this.pumping = true;
    void this.fill()
      .catch((error: unknown) => this.fail(asError(error)))
      .finally(() => {
        this.pumping = false;
        if (!this.stopped && !this.sourceDone && this.outstanding < this.spec.window) this.pump();
        this.maybeEnd();
      });
  }

  private async fill(): Promise<void> {
    const { source, chunksize, window } = this.spec;
    const batch: [number, Chunk][] = [];
    // Every chunk is sealed before the first is queued: a shared object anywhere in an array refuses the whole call.
    while (!this.stopped && !this.sourceDone && this.outstanding < window) {
      let items = source.read(chunksize);
      if (items instanceof Promise) items = await items;
      if (this.stopped) return;
      if (items.length < chunksize) this.sourceDone = true;
      if (items.length === 0) break;
      const start = this.itemsRead;
      this.itemsRead += items.length;
      this.outstanding += items.length;
      if (this.spec.trace !== undefined && source.length === undefined) this.spec.trace.read(this.itemsRead);
      const chunk = this.nextChunk++;
      batch.push([chunk, { start, count: items.length, envelope: this.seal(chunk, start, items), span: -1, missing: 0 }]);
      if (batch.length >= BULK && source.length === undefined) await this.queue(batch.splice(0));
    }
    await this.queue(batch);
  }

  private async queue(batch: [number, Chunk][]): Promise<void> {
    if (batch.length === 0 || this.stopped) return;
    for (const [n, chunk] of batch) {
      this.chunks.set(n, chunk);
      if (this.spec.trace !== undefined) chunk.span = this.spec.trace.queued(chunk.start, chunk.start + chunk.count);
    }
    await this.add(batch);
  }

  private async add(batch: [number, Chunk][]): Promise<void> {
    const { queue } = this.spec.backend;
    for (let i = 0; i < batch.length && !this.stopped; i += BULK) {
      await queue.addBulk(
        batch.slice(i, i + BULK).map(([n, chunk]) => ({
          name: this.spec.payload.name.slice(0, 100) || "task",
          data: chunk.envelope,
          opts: { jobId: jobId(this.id, n), removeOnComplete: true, removeOnFail: false, attempts: 1 },
        })),
      );
    }
  }

  private seal(chunk: number, start: number, items: PackedItems): Envelope {
    // A packed run may hold only class instances (noShared), which can travel; shared objects cannot.
    if (typeof items === "object" && !Array.isArray(items) && !ArrayBuffer.isView(items) && "shared" in items && items.noShared !== true) {
      throw new NotDistributableError(
        `Item ${start + (Array.isArray(items.shared) ? firstShared(items.shared) : 0)} holds a Lanes shared object (a Value, Array, Lock, Queue …), which lives in this machine's memory and cannot go to a distributed pool. ` +
          `Nothing was queued. Pass plain data, or use a local Pool for shared memory.`,
      );
    }
    const handler = typeof items === "object" && "classes" in items && items.classes !== undefined ? transferHandlerIn(items.shared) : undefined;
    if (handler !== undefined) {
      throw new NotDistributableError(
        `Items ${start}..${start + items.length - 1} hold an instance carried by the transfer handler "${handler}", which is registered in this kernel only: ` +
          `a lanes worker has no initializer to register it in its threads. Nothing was queued. Send the plain data (what the handler's serialize returns) and rebuild the instance inside the function, or use a local Pool.`,
      );
    }
    const { payload, star, chunksize, stopOnError, timeout, backend } = this.spec;
    const task: ChunkTask = { call: this.id, chunk, start, items, fn: payload, star, chunksize, stopOnError, timeout, reply: backend.resultsKey };
    try {
      return seal(task, backend.key);
    } catch (error) {
      throw new NotDistributableError(
        `Items ${start}..${start + items.length - 1} cannot be sent to a distributed pool: ${(error as Error).message}. ` +
          `Items must be plain data (a SharedArrayBuffer lives in one machine's memory). Nothing was queued.`,
        { cause: error },
      );
    }
  }

  /**
   * Looks at the jobs of chunks that have not come back. A job that failed for good (its worker was
   * killed more than maxStalledCount times) fails the call; one that is gone twice in a row without
   * its result (Redis restarted and lost it) is queued again.
   */
  private async sweep(): Promise<void> {
    if (this.stopped || this.chunks.size === 0) return;
    const { commands, queueName } = this.spec.backend;
    const pending = [...this.chunks.entries()];
    const pipeline = commands.pipeline();
    for (const [n] of pending) pipeline.hmget(bullJobKey(queueName, jobId(this.id, n)), "failedReason", "finishedOn", "data");
    const answers = (await pipeline.exec()) ?? [];
    const lost: [number, Chunk][] = [];
    for (let i = 0; i < pending.length; i++) {
      const [n, chunk] = pending[i]!;
      if (this.stopped || !this.chunks.has(n)) return;
      const [failedReason, finishedOn, data] = (answers[i]?.[1] ?? []) as (string | null)[];
      if (data === null || data === undefined) {
        if (++chunk.missing >= 2) {
          chunk.missing = 0;
          lost.push([n, chunk]);
        }
        continue;
      }
      chunk.missing = 0;
      if (failedReason !== null && failedReason !== undefined && finishedOn !== null) {
        return this.fail(
          new WorkerCrashedError(
            `Items ${chunk.start}..${chunk.start + chunk.count - 1} failed on the cluster: ${failedReason}. ` +
              `Their worker process died (or lost its lock) more often than maxStalledCount allows; see the lanes worker logs.`,
          ),
        );
      }
    }
    if (lost.length > 0 && !this.stopped) {
      await this.spec.backend.commands.set(this.callKey, "1", "PX", CALL_TTL_MS);
      await this.add(lost);
    }
  }

  private abort(): void {
    this.fail(abortError(this.spec.signal!));
  }

  private maybeEnd(): void {
    if (this.stopped || !this.sourceDone || this.pumping || this.chunks.size > 0) return;
    // The call's key is gone before the call resolves: Redis then holds no more keys than before it.
    void this.finish().then(() => this.sink!.end());
  }

  /** Stops: the call's key goes (workers stop its running chunks and skip the rest), waiting jobs are removed. */
  private finish(): Promise<unknown> {
    this.stopped = true;
    clearInterval(this.refresh);
    clearInterval(this.sweeper);
    this.spec.source.close();
    this.spec.signal?.removeEventListener("abort", this.onAbort);
    const { backend } = this.spec;
    backend.unregister(this);
    const left = [...this.chunks.keys()];
    this.chunks.clear();
    let cleaned: Promise<unknown> = Promise.resolve();
    if (backend.isConnected()) {
      const ids = left.map((n) => jobId(this.id, n));
      cleaned = backend.cleanup(async () => {
        await backend.commands.del(this.callKey);
        // Waiting jobs go now; a running one is stopped by its worker, which sees the key gone (and is removed once it ends).
        await Promise.all(ids.map((id) => backend.queue.remove(id).catch(() => 0)));
      });
    }
    this.markDone();
    return cleaned;
  }
}

function checkPayload(payload: ShippedFunction): void {
  try {
    structuredCloneCheck(payload);
  } catch (error) {
    throw new NotDistributableError(
      `The task function "${payload.name}" captures a Lanes shared object (a Value, Array, Lock, Queue …) or a SharedArrayBuffer, which lives in this machine's memory ` +
        `and cannot go to a distributed pool. Nothing was queued. Use a local Pool for shared memory, or pass plain data.`,
      { cause: error },
    );
  }
}

/** v8.serialize refuses SharedArrayBuffers, as sending to another machine must. */
function structuredCloneCheck(value: unknown): void {
  serialize(value);
}

function firstShared(items: readonly unknown[]): number {
  const i = items.findIndex((item) => {
    try {
      return typeof item === "object" && item !== null && (JSON.stringify(item) ?? "").includes("__lanesShared__");
    } catch {
      return false;
    }
  });
  return Math.max(0, i);
}

function abortError(signal: AbortSignal): AbortError {
  const reason: unknown = signal.reason;
  const detail = reason instanceof Error ? reason.message : reason === undefined ? "" : typeof reason === "string" ? reason : inspect(reason);
  return new AbortError(`The call was aborted through its AbortSignal${detail === "" ? "" : `: ${detail}`}`, { cause: reason });
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** A worker's timeout of one item becomes the same `TimeoutError` (index, timeout) a local pool gives. */
function asTimeout(failure: ItemError): ItemFailure {
  const limit = failure.error.props?.[LANES_TIMEOUT];
  if (failure.error.name !== "TimeoutError" || typeof limit !== "number") return failure;
  return { index: failure.index, error: new TimeoutError(failure.error.message, { index: failure.index, timeout: limit }) };
}
