/**
 * Records one span per task: the pool calls `beginCall` once per map/imap/starmap/apply, then
 * `queued`, `started` and `finished` per task. Everything is synchronous and allocation-free per
 * span (see SpanStore), so tracing stays on by default.
 */
import { LanesError } from "../errors";
import { OUTCOMES } from "../display/span-codec";
import { now, type Clock } from "./clock";
import { SpanStore } from "./span-store";
import { Timeline } from "./timeline";

const RUNNING = OUTCOMES.indexOf("running");
const QUEUED = OUTCOMES.indexOf("queued");
const CANCELLED = OUTCOMES.indexOf("cancelled");

/** How a finished task ended. */
export type TaskOutcome = "ok" | "error" | "cancelled";

/** One call of a pool (a `map`, an `imap`, an `apply` …) as the recorder knows it. */
export interface CallRecord {
  /** Shown in the timeline; usually the function's name. */
  readonly name: string;
  /** Items the call covers (1 for `apply` or a `Process`). */
  readonly total: number;
  /** Worker lanes available to the call. */
  readonly workers: number;
  /** When the call began (ms since the epoch). */
  readonly began: number;
}

/** Options of {@link SpanRecorder}. */
export interface SpanRecorderOptions {
  /**
   * Where times come from when a method is called without one.
   * @default now (performance.timeOrigin + performance.now(), shared with the workers)
   * @example new SpanRecorder({ clock: () => fakeTime })
   */
  clock?: Clock;
}

/** Raised when a span or call index given to the recorder does not exist: a bug in the caller. */
export class UnknownSpanError extends LanesError {}

/** Which spans a timeline covers. */
export interface TimelineSelection {
  /** One call, by the index `beginCall` returned. @default the last call begun */
  call?: number;
  /** Every call since the recorder was created. @default false */
  all?: boolean;
}

/**
 * Keeps the spans of every task of one pool.
 *
 * @example
 * const rec = new SpanRecorder();
 * const call = rec.beginCall("square", 100, 4);
 * const span = rec.queued(call, 0, 25);
 * rec.started(span, 0, threadId);
 * rec.finished(span, "ok");
 * show(rec.timeline());
 */
export class SpanRecorder {
  private readonly store = new SpanStore();
  private readonly callList: CallRecord[] = [];
  private readonly listeners = new Set<(span: number) => void>();
  private readonly clock: Clock;

  constructor(options: SpanRecorderOptions = {}) {
    this.clock = options.clock ?? now;
  }

  /** Spans recorded so far. */
  get size(): number {
    return this.store.count;
  }

  /** The calls begun so far, by index. */
  get calls(): readonly CallRecord[] {
    return this.callList;
  }

  /** Starts a call; returns its index, to pass to `queued` and `timeline`. */
  beginCall(name: string, total: number, workers: number, at: number = this.clock()): number {
    this.callList.push({ name, total, workers, began: at });
    return this.callList.length - 1;
  }

  /** A task covering items `[first, last)` of `call` was queued; returns its span index. */
  queued(call: number, first: number, last: number, at: number = this.clock()): number {
    if (call < 0 || call >= this.callList.length) throw new UnknownSpanError(`call ${call} was never begun: call beginCall() first and pass the index it returns`);
    const s = this.store;
    const i = s.add();
    s.call[i] = call;
    s.first[i] = first;
    s.last[i] = last;
    s.queued[i] = at;
    s.started[i] = NaN;
    s.finished[i] = NaN;
    s.worker[i] = -1;
    s.threadId[i] = -1;
    s.outcome[i] = QUEUED;
    this.notify(i);
    return i;
  }

  /**
   * The task began on worker lane `worker` (its thread is `threadId`). Pass `at` when the worker
   * measured it (the clocks are comparable: see `now`).
   */
  started(span: number, worker: number, threadId: number, at: number = this.clock()): void {
    this.check(span);
    const s = this.store;
    s.worker[span] = worker;
    s.threadId[span] = threadId;
    s.started[span] = at;
    s.outcome[span] = RUNNING;
    this.notify(span);
  }

  /** The task ended; `errorName` is the `name` of what it threw when `outcome` is `"error"`. */
  finished(span: number, outcome: TaskOutcome, errorName?: string, at: number = this.clock()): void {
    this.check(span);
    const s = this.store;
    s.finished[span] = at;
    s.outcome[span] = OUTCOMES.indexOf(outcome);
    if (outcome === "error") s.errors.set(span, errorName ?? "Error");
    this.notify(span);
  }

  /** Marks every still-queued task of `call` cancelled (the call was aborted or the pool terminated). */
  cancelQueued(call: number, at: number = this.clock()): void {
    const s = this.store;
    for (let i = 0; i < s.count; i++) {
      if (s.call[i] === call && s.outcome[i] === QUEUED) {
        s.outcome[i] = CANCELLED;
        s.finished[i] = at;
      }
    }
    this.notify(-1);
  }

  /** Items of `call` whose tasks finished (ok or error). */
  done(call: number): number {
    const s = this.store;
    let done = 0;
    for (let i = 0; i < s.count; i++) {
      const o = s.outcome[i]!;
      if (s.call[i] === call && o !== QUEUED && o !== RUNNING && o !== CANCELLED) done += s.last[i]! - s.first[i]!;
    }
    return done;
  }

  /** Calls `listener` after every recorded event (a live display listens); returns the unsubscribe function. */
  subscribe(listener: (span: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A snapshot of the spans as a {@link Timeline}: the last call by default, one call, or `{ all: true }`.
   * While tasks still run, their busy time counts up to `at`.
   */
  timeline(selection: TimelineSelection = {}, at: number = this.clock()): Timeline {
    const s = this.store;
    const callIndices = selection.all ? this.callList.map((_, i) => i) : [selection.call ?? this.callList.length - 1].filter((c) => c >= 0);
    for (const c of callIndices) if (c >= this.callList.length) throw new UnknownSpanError(`call ${c} was never begun: this recorder has ${this.callList.length} calls`);
    const callMap = new Map(callIndices.map((c, k) => [c, k]));
    const indices: number[] = [];
    for (let i = 0; i < s.count; i++) if (callMap.has(s.call[i]!)) indices.push(i);
    let origin = Infinity;
    for (const c of callIndices) origin = Math.min(origin, this.callList[c]!.began);
    for (const i of indices) origin = Math.min(origin, s.queued[i]!);
    if (!Number.isFinite(origin)) origin = at;
    const calls = callIndices.map((c) => this.callList[c]!);
    return new Timeline({
      origin,
      spans: s.select(indices, origin, callMap),
      calls: calls.map((c) => c.name),
      workers: Math.max(0, ...calls.map((c) => c.workers)),
      total: calls.reduce((sum, c) => sum + c.total, 0),
      asOf: at - origin,
    });
  }

  private check(span: number): void {
    if (!(span >= 0 && span < this.store.count)) throw new UnknownSpanError(`span ${span} does not exist: pass the index queued() returned`);
  }

  private notify(span: number): void {
    if (this.listeners.size === 0) return;
    for (const listener of this.listeners) listener(span);
  }
}
