/**
 * Records one span per batch: the consecutive items of one call that one worker ran back to back
 * from one message (src/pool/call-trace.ts; why not one per chunk: BAR_MEANING in
 * src/wire/timeline-labels.ts). The pool calls `beginCall` once per map/imap/starmap/apply, then
 * `queued`, `started` and `finished` per batch. Everything is synchronous and allocation-free per
 * span (see SpanStore), so tracing stays on by default. Memory is bounded: past `maxSpans` spans or
 * `maxCalls` calls the oldest are forgotten, so a pool that lives all day does not grow all day.
 */
import { LanesError } from "../errors";
import { isDone, OUTCOMES } from "../wire/span-codec";
import { now, type Clock } from "./clock";
import { extrasFor } from "./extras";
import { SpanStore } from "./span-store";
import { Timeline } from "./timeline";

const RUNNING = OUTCOMES.indexOf("running");
const QUEUED = OUTCOMES.indexOf("queued");
const CANCELLED = OUTCOMES.indexOf("cancelled");
const DEFAULT_MAX_SPANS = 100_000;
const DEFAULT_MAX_CALLS = 1_000;

/** How a finished batch ended. */
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
  /**
   * Spans kept across all calls. Past it the oldest quarter is forgotten (and calls left with no
   * span), so a long-lived pool stays within a few MB (about 50 bytes a span).
   * @default 100000
   * @example new SpanRecorder({ maxSpans: 10_000 })
   */
  maxSpans?: number;
  /**
   * Calls kept (a loop of `pool.apply` makes one call per iteration). Past it the oldest quarter is
   * forgotten, with their spans.
   * @default 1000
   * @example new SpanRecorder({ maxCalls: 100 })
   */
  maxCalls?: number;
}

/** Raised when a span or call index given to the recorder does not exist: a bug in the caller. */
export class UnknownSpanError extends LanesError {}

/** Which spans a timeline covers. */
export interface TimelineSelection {
  /** One call, by the index `beginCall` returned. @default the last call begun */
  call?: number;
  /** Every call the recorder still keeps (all since it was created, up to `maxCalls`). @default false */
  all?: boolean;
}

/**
 * Keeps the spans of every batch of one pool.
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
  /** Kept calls; `callList[k]` is call number `callBase + k`. */
  private readonly callList: CallRecord[] = [];
  /** Number of the first span recorded for each kept call (spans of a call all come after it). */
  private readonly firstSpans: number[] = [];
  private callBase = 0;
  private readonly listeners = new Set<(span: number) => void>();
  private readonly clock: Clock;
  private readonly maxSpans: number;
  private readonly maxCalls: number;
  /**
   * What each lane stands for, by lane, carried into every timeline (a cluster pool's
   * `host:pid/threadId`, filled in as its threads show up); undefined: lanes are local threads.
   */
  laneLabels: readonly string[] | undefined;

  constructor(options: SpanRecorderOptions = {}) {
    this.clock = options.clock ?? now;
    this.maxSpans = Math.max(4, options.maxSpans ?? DEFAULT_MAX_SPANS);
    this.maxCalls = Math.max(1, options.maxCalls ?? DEFAULT_MAX_CALLS);
  }

  /** Spans kept. */
  get size(): number {
    return this.store.count;
  }

  /** The calls kept, oldest first (`calls[0]` is call number `firstCall`). */
  get calls(): readonly CallRecord[] {
    return this.callList;
  }

  /** Number of the oldest call kept (0 until `maxCalls` is passed). */
  get firstCall(): number {
    return this.callBase;
  }

  /** Starts a call; returns its index, to pass to `queued` and `timeline`. */
  beginCall(name: string, total: number, workers: number, at: number = this.clock()): number {
    if (this.callList.length >= this.maxCalls) this.forgetCalls(this.callList.length - Math.floor((this.maxCalls * 3) / 4));
    this.callList.push({ name, total, workers, began: at });
    this.firstSpans.push(this.store.dropped + this.store.count);
    return this.callBase + this.callList.length - 1;
  }

  /** Sets the item count of `call`, for a call whose input length was not known when it began. */
  setTotal(call: number, total: number): void {
    const k = call - this.callBase;
    const record = this.callList[k];
    if (record !== undefined && record.total !== total) this.callList[k] = { ...record, total };
  }

  /** A batch covering items `[first, last)` of `call` was queued; returns its span index. */
  queued(call: number, first: number, last: number, at: number = this.clock()): number {
    if (call < 0 || call >= this.callBase + this.callList.length) throw new UnknownSpanError(`call ${call} was never begun: call beginCall() first and pass the index it returns`);
    const s = this.store;
    if (s.count >= this.maxSpans) this.forgetSpans(s.count - Math.floor((this.maxSpans * 3) / 4));
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
    const span = s.dropped + i;
    this.notify(span);
    return span;
  }

  /**
   * The batch began on worker lane `worker` (its thread is `threadId`). Pass `at` when the worker
   * measured it (the clocks are comparable: see `now`).
   */
  started(span: number, worker: number, threadId: number, at: number = this.clock()): void {
    const i = this.slot(span);
    if (i < 0) return;
    const s = this.store;
    s.worker[i] = worker;
    s.threadId[i] = threadId;
    s.started[i] = at;
    s.outcome[i] = RUNNING;
    this.notify(span);
  }

  /** The queued batch now covers items `[first, last)` (its items were handed to another worker). */
  setItems(span: number, first: number, last: number): void {
    const i = this.slot(span);
    if (i < 0) return;
    this.store.first[i] = first;
    this.store.last[i] = last;
    this.notify(span);
  }

  /** The batch ran only its first `count` items (it was queued with more): its span covers those. */
  ranItems(span: number, count: number): void {
    const i = this.slot(span);
    if (i < 0) return;
    const s = this.store;
    s.last[i] = Math.min(s.last[i]!, s.first[i]! + count);
  }

  /** The batch ended; `errorName` is the `name` of what it threw when `outcome` is `"error"`. */
  finished(span: number, outcome: TaskOutcome, errorName?: string, at: number = this.clock()): void {
    const i = this.slot(span);
    if (i < 0) return;
    const s = this.store;
    s.finished[i] = at;
    s.outcome[i] = OUTCOMES.indexOf(outcome);
    if (outcome === "error") s.errors.set(i, errorName ?? "Error");
    else s.errors.delete(i);
    this.notify(span);
  }

  /** Marks every still-queued batch of `call` cancelled (the call was aborted or the pool terminated). */
  cancelQueued(call: number, at: number = this.clock()): void {
    const s = this.store;
    for (let i = this.firstSlot(call); i < s.count; i++) {
      if (s.call[i] === call && s.outcome[i] === QUEUED) {
        s.outcome[i] = CANCELLED;
        s.finished[i] = at;
      }
    }
    this.notify(-1);
  }

  /** Items of `call` whose batches finished (ok or error). */
  done(call: number): number {
    const s = this.store;
    let done = 0;
    for (let i = this.firstSlot(call); i < s.count; i++) {
      if (s.call[i] === call && isDone(s.outcome[i]!)) done += s.last[i]! - s.first[i]!;
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
   * While batches still run, their busy time counts up to `at`.
   */
  timeline(selection: TimelineSelection = {}, at: number = this.clock()): Timeline {
    const s = this.store;
    const end = this.callBase + this.callList.length;
    const callIndices = selection.all ? this.callList.map((_, k) => this.callBase + k) : [selection.call ?? end - 1].filter((c) => c >= 0);
    for (const c of callIndices) {
      if (c >= end) throw new UnknownSpanError(`call ${c} was never begun: this recorder has ${end} calls`);
      if (c < this.callBase) throw new UnknownSpanError(`call ${c} was forgotten: only the last ${this.maxCalls} calls (and ${this.maxSpans} spans) are kept`);
    }
    const callMap = new Map(callIndices.map((c, k) => [c, k]));
    const indices: number[] = [];
    const from = callIndices.length === 0 ? s.count : this.firstSlot(callIndices[0]!);
    for (let i = from; i < s.count; i++) if (callMap.has(s.call[i]!)) indices.push(i);
    let origin = Infinity;
    for (const c of callIndices) origin = Math.min(origin, this.callList[c - this.callBase]!.began);
    for (const i of indices) origin = Math.min(origin, s.queued[i]!);
    if (!Number.isFinite(origin)) origin = at;
    const calls = callIndices.map((c) => this.callList[c - this.callBase]!);
    // Waits and depth tracks over the same window, on the lanes of the threads that ran these spans.
    const laneOf = new Map<number, number>();
    let to = origin;
    for (const i of indices) {
      if (s.worker[i]! >= 0) laneOf.set(s.threadId[i]!, s.worker[i]!);
      const f = s.finished[i]!;
      // While a batch runs, the window runs up to now (a depth sample taken while building it included).
      to = Math.max(to, Number.isNaN(f) ? Infinity : f);
    }
    return new Timeline({
      origin,
      spans: s.select(indices, origin, callMap),
      calls: calls.map((c) => c.name),
      workers: Math.max(0, ...calls.map((c) => c.workers)),
      total: calls.reduce((sum, c) => sum + c.total, 0),
      asOf: at - origin,
      extras: extrasFor(origin, to, origin, laneOf),
      // A copy: the labels of the lanes seen so far, as of this snapshot.
      laneLabels: this.laneLabels === undefined ? undefined : [...this.laneLabels],
    });
  }

  /** The store slot of `span`; -1 when it was forgotten (a late event for an old span is dropped). */
  private slot(span: number): number {
    const s = this.store;
    if (!(span >= 0 && span < s.dropped + s.count)) throw new UnknownSpanError(`span ${span} does not exist: pass the index queued() returned`);
    return span - s.dropped;
  }

  /** Slot from which `call`'s spans may appear (they were all recorded after it began). */
  private firstSlot(call: number): number {
    const first = this.firstSpans[call - this.callBase];
    return first === undefined ? this.store.count : Math.max(0, first - this.store.dropped);
  }

  private forgetSpans(n: number): void {
    this.store.dropOldest(n);
    // Calls whose successor began before the cut have lost their first spans: forget them whole.
    let k = 0;
    while (k < this.callList.length - 1 && this.firstSpans[k + 1]! <= this.store.dropped) k++;
    this.dropCalls(k);
  }

  private forgetCalls(n: number): void {
    this.dropCalls(n);
    const first = this.firstSpans[0];
    if (first !== undefined) this.store.dropOldest(first - this.store.dropped);
  }

  private dropCalls(n: number): void {
    if (n <= 0) return;
    this.callList.splice(0, n);
    this.firstSpans.splice(0, n);
    this.callBase += n;
  }

  private notify(span: number): void {
    if (this.listeners.size === 0) return;
    for (const listener of this.listeners) listener(span);
  }
}
