/**
 * Spans kept column-wise in typed arrays that double when full: recording a span is a handful of
 * array writes and no allocation, which keeps tracing cheap on maps of many tiny tasks.
 */
import type { SpanArrays } from "../display/span-codec";

const INITIAL_CAPACITY = 64;

function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T, capacity: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}

/** Growable columns of spans; times are absolute (ms since the epoch), NaN when not reached yet. */
export class SpanStore {
  count = 0;
  worker = new Int32Array(INITIAL_CAPACITY);
  threadId = new Int32Array(INITIAL_CAPACITY);
  call = new Int32Array(INITIAL_CAPACITY);
  queued = new Float64Array(INITIAL_CAPACITY);
  started = new Float64Array(INITIAL_CAPACITY);
  finished = new Float64Array(INITIAL_CAPACITY);
  first = new Float64Array(INITIAL_CAPACITY);
  last = new Float64Array(INITIAL_CAPACITY);
  outcome = new Uint8Array(INITIAL_CAPACITY);
  readonly errors = new Map<number, string>();

  /** Appends a span and returns its index; the caller fills in the rest. */
  add(): number {
    if (this.count === this.queued.length) this.grow(this.count * 2);
    return this.count++;
  }

  private grow(capacity: number): void {
    this.worker = grown(this.worker, capacity);
    this.threadId = grown(this.threadId, capacity);
    this.call = grown(this.call, capacity);
    this.queued = grown(this.queued, capacity);
    this.started = grown(this.started, capacity);
    this.finished = grown(this.finished, capacity);
    this.first = grown(this.first, capacity);
    this.last = grown(this.last, capacity);
    this.outcome = grown(this.outcome, capacity);
  }

  /**
   * Copies the spans at `indices` (ascending) into fresh arrays with times relative to `origin`,
   * renumbering calls through `callMap` (old call index → new one).
   */
  select(indices: ArrayLike<number>, origin: number, callMap: ReadonlyMap<number, number>): SpanArrays {
    const n = indices.length;
    const out = {
      count: n,
      worker: new Int32Array(n),
      threadId: new Int32Array(n),
      call: new Int32Array(n),
      queued: new Float64Array(n),
      started: new Float64Array(n),
      finished: new Float64Array(n),
      first: new Float64Array(n),
      last: new Float64Array(n),
      outcome: new Uint8Array(n),
      errors: new Map<number, string>(),
    };
    for (let k = 0; k < n; k++) {
      const i = indices[k]!;
      out.worker[k] = this.worker[i]!;
      out.threadId[k] = this.threadId[i]!;
      out.call[k] = callMap.get(this.call[i]!) ?? 0;
      out.queued[k] = this.queued[i]! - origin;
      out.started[k] = this.started[i]! - origin;
      out.finished[k] = this.finished[i]! - origin;
      out.first[k] = this.first[i]!;
      out.last[k] = this.last[i]!;
      out.outcome[k] = this.outcome[i]!;
      const error = this.errors.get(i);
      if (error !== undefined) out.errors.set(k, error);
    }
    return out;
  }
}
