/**
 * One call (map, imap, starmap, apply): reads items from its source, sends them to the workers in
 * messages of several chunks, and hands results to a sink. Messages grow while they run short
 * (tiny items travel thousands to a message) and shrink when they run long, so per-item dispatch
 * stays cheap without starving workers at the end of the input.
 */
import { inspect } from "node:util";
import type { ShippedFunction } from "../ship";
import { AbortError } from "../errors";
import type { CallTrace } from "./call-trace";
import { DEPTH, Flight, type BatchOwner, type BatchResult, type Engine } from "./engine";
import { sliceItems } from "./items";
import type { BatchRequest, PackedItems, ItemList } from "./protocol";
import type { ItemFailure } from "./item-error";
import type { ItemSource } from "./item-source";

/** Milliseconds of work a message should carry: long enough to hide the ~0.05 ms a message costs. */
const TARGET_MS = 4;
/** Past this a message is long enough that a second one queued behind it buys nothing. */
const PIPELINE_BELOW_MS = 20;
/** Items one message may carry when chunks are small (a chunk larger than this still travels whole). */
export const MAX_MESSAGE_ITEMS = 8192;

/** Receives a job's results. */
export interface Sink {
  /** Results of items `start .. start+count)`; `failed` lists the items among them that threw. */
  results(start: number, values: ItemList, count: number, failed: ItemFailure[]): void;
  /** Every item ran (or the job stopped at an error) and every result was delivered. */
  end(): void;
  /** The job cannot go on (pool terminated or broken, worker crashed, aborted, source threw). */
  fail(error: Error): void;
}

export interface JobSpec {
  engine: Engine;
  payload: ShippedFunction;
  source: ItemSource;
  chunksize: number;
  star: boolean;
  stopOnError: boolean;
  signal: AbortSignal | undefined;
  /** Items sent but not yet consumed beyond which reading the source pauses (imap backpressure). */
  window: number;
  /** Records a span per message; undefined when tracing is off. */
  trace: CallTrace | undefined;
  /** Milliseconds each item may run before its worker is ended (Infinity: no limit). */
  timeout: number;
}

/** A message in flight: what was sent, and its span in the call's trace (-1: none, or handed on). */
interface Sent {
  readonly request: BatchRequest;
  span: number;
}

export class Job implements BatchOwner {
  stopped = false;
  private sink: Sink | undefined;
  private itemsRead = 0;
  private inFlight = 0;
  private outstanding = 0;
  private sourceDone = false;
  private reading = false;
  private chunksPerMessage = 1;
  /** Messages in flight, by the handle their unclaimed items can be shared through. */
  private readonly running = new Map<Flight, Sent>();
  /** An item failed and the call stops at errors: nothing more is shared out. */
  private failedItem = false;
  private msPerChunk: number | undefined;
  private readonly onAbort = (): void => this.abort();
  private markDone!: () => void;
  /** Settles when the job stops (finished, failed or cancelled). */
  readonly done = new Promise<void>((resolve) => (this.markDone = resolve));

  constructor(private readonly spec: JobSpec) {}

  start(sink: Sink): void {
    this.sink = sink;
    const { signal, engine } = this.spec;
    if (signal?.aborted === true) return this.fail(abortError(signal));
    try {
      engine.register(this);
    } catch (error) {
      return this.fail(error as Error);
    }
    signal?.addEventListener("abort", this.onAbort, { once: true });
    this.pump();
  }

  /** The consumer took `n` results: room for more in the window. */
  consumed(n: number): void {
    this.outstanding -= n;
    if (!this.stopped && this.outstanding < this.spec.window) this.pump();
  }

  /** A worker freed up (another call's message was answered): it may take over unclaimed items. */
  workerFreed(): void {
    this.shareWithIdleWorkers();
  }

  /** Stops quietly: nothing more is sent, the source is closed, late results are dropped. */
  cancel(): void {
    if (this.stopped) return;
    this.finish();
    this.spec.trace?.stopped();
  }

  fail(error: Error): void {
    if (this.stopped) return;
    this.cancel();
    this.sink?.fail(error);
  }

  private abort(): void {
    if (this.stopped) return;
    this.spec.engine.killOwner(this);
    this.fail(abortError(this.spec.signal!));
  }

  private finish(): void {
    this.stopped = true;
    this.spec.source.close();
    this.spec.signal?.removeEventListener("abort", this.onAbort);
    this.spec.engine.unregister(this);
    this.markDone();
  }

  private maxInFlight(): number {
    const depth = this.msPerChunk !== undefined && this.msPerChunk * this.chunksPerMessage < PIPELINE_BELOW_MS ? DEPTH : 1;
    return this.spec.engine.processes * depth;
  }

  private pump(): void {
    const { source, window } = this.spec;
    while (!this.stopped && !this.sourceDone && !this.reading && this.inFlight < this.maxInFlight() && this.outstanding < window) {
      const want = this.chunksPerMessage * this.spec.chunksize;
      let read: PackedItems | Promise<PackedItems>;
      try {
        read = source.read(want);
      } catch (error) {
        return this.fail(asError(error));
      }
      if (read instanceof Promise) {
        this.reading = true;
        read.then(
          (items) => {
            this.reading = false;
            if (this.stopped) return;
            this.dispatch(items, want);
            this.pump();
          },
          (error: unknown) => this.fail(asError(error)),
        );
        return;
      }
      this.dispatch(read, want);
    }
    this.shareWithIdleWorkers();
    this.maybeEnd();
  }

  private dispatch(items: PackedItems, want: number): void {
    if (items.length < want) this.sourceDone = true;
    if (items.length === 0) return;
    const start = this.itemsRead;
    this.itemsRead += items.length;
    this.outstanding += items.length;
    if (this.spec.trace !== undefined && this.spec.source.length === undefined) this.spec.trace.read(this.itemsRead);
    this.send(items, start);
  }

  /**
   * Sends items `[start, start + items.length)`: read just now, or shared out of a running message
   * (then `span` may be that message's span, handed over because its worker will run none of it).
   */
  private send(items: PackedItems, start: number, span?: number): void {
    const { payload, star, chunksize, stopOnError, engine, trace } = this.spec;
    const request: BatchRequest = { fnId: payload.id, star, start, items, chunksize, stopOnError, claim: -1, token: 0 };
    const flight = new Flight();
    this.inFlight++;
    let sent: Sent;
    if (trace === undefined) sent = { request, span: -1 };
    else if (span === undefined) sent = { request, span: trace.queued(start, start + items.length) };
    else sent = { request, span: trace.moved(span, start, start + items.length) };
    this.running.set(flight, sent);
    engine.run(this, payload, request, flight, this.spec.timeout).then(
      (result) => {
        this.running.delete(flight);
        this.onResult(request, result, sent.span);
      },
      (error: unknown) => {
        this.running.delete(flight);
        this.inFlight--;
        const e = asError(error);
        if (sent.span >= 0) trace?.lost(sent.span, e, this.stopped);
        this.fail(e);
      },
    );
  }

  /**
   * A worker with nothing to run is given a share of the message with the most items left: its
   * unclaimed back half (./claims), so a chunk full of slow items no longer holds up the call.
   * Called after `pump` sent what it could, so a worker is idle here only when the input is all sent
   * or the limit of messages in flight is reached — say both first messages went to one worker while the other was
   * still starting: the second, waiting behind the first, moves to the idle worker.
   */
  private shareWithIdleWorkers(): void {
    const { engine } = this.spec;
    if (this.stopped || this.reading || this.failedItem || this.running.size === 0) return;
    for (let idle = engine.idleWorkers(); idle > 0; idle--) {
      // The message with the most unclaimed items gives first; one about to start may give nothing.
      const donors = [...this.running.keys()].map((f) => [f, engine.unclaimed(f)] as const).filter(([, left]) => left > 0);
      donors.sort((a, b) => b[1] - a[1]);
      let shared: [Flight, [number, number]] | undefined;
      for (const [flight] of donors) {
        const range = engine.share(flight);
        if (range !== undefined) {
          shared = [flight, range];
          break;
        }
      }
      if (shared === undefined) return;
      const [donor, [from, to]] = shared;
      const sent = this.running.get(donor)!;
      // Shared out whole, before its worker ran any of it: the timeline's span moves with the items.
      const whole = from === 0 && sent.span >= 0;
      const span = whole ? sent.span : undefined;
      if (whole) sent.span = -1;
      this.send(sliceItems(sent.request.items, from, to), sent.request.start + from, span);
    }
  }

  private onResult(request: BatchRequest, result: BatchResult, span: number): void {
    this.inFlight--;
    if (span >= 0) this.spec.trace?.ran(span, result);
    if (this.stopped) return;
    this.learn(result);
    if (result.errors.length > 0 && this.spec.stopOnError) {
      // Stop feeding; what is in flight still arrives (ordered imap yields up to the failed item).
      this.sourceDone = true;
      this.failedItem = true;
      this.spec.source.close();
    }
    // A message shared out whole ran nothing here: its items arrive with the part that took them.
    if (result.ran > 0 || result.errors.length > 0) this.sink!.results(request.start, result.results, result.ran, result.errors);
    if (!this.stopped) this.pump();
  }

  /** Sizes the next messages from how long this one took in its worker. */
  private learn(result: BatchResult): void {
    if (this.spec.source.async || result.ran === 0) return;
    const chunks = Math.ceil(result.ran / this.spec.chunksize);
    const ms = result.busyMs / chunks;
    this.msPerChunk = this.msPerChunk === undefined ? ms : 0.5 * this.msPerChunk + 0.5 * ms;
    const cap = Math.max(1, Math.floor(MAX_MESSAGE_ITEMS / this.spec.chunksize));
    const wanted = Math.floor(TARGET_MS / Math.max(this.msPerChunk, 1e-6));
    this.chunksPerMessage = Math.max(1, Math.min(wanted, cap, 2 * this.chunksPerMessage));
  }

  private maybeEnd(): void {
    if (this.stopped || !this.sourceDone || this.inFlight > 0 || this.reading) return;
    this.finish();
    this.sink!.end();
  }
}

function abortError(signal: AbortSignal): AbortError {
  const reason: unknown = signal.reason;
  const detail = reason instanceof Error ? reason.message : reason === undefined ? "" : typeof reason === "string" ? reason : inspect(reason);
  return new AbortError(`The call was aborted through its AbortSignal${detail === "" ? "" : `: ${detail}`}`, { cause: reason });
}

export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
