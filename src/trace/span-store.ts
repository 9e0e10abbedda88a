/**
 * Spans kept column-wise in typed arrays that double when full: recording a span is a handful of
 * array writes and no allocation, which keeps tracing cheap on maps of many tiny items.
 */
import { allocSpanArrays, type SpanArrays } from "../wire/span-codec";

const INITIAL_CAPACITY = 64;

function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T, capacity: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}

/**
 * Growable columns of spans; times are absolute (ms since the epoch), NaN when not reached yet.
 * Slot `i` holds the span numbered `dropped + i`: `dropOldest` forgets a prefix without renumbering.
 */
export class SpanStore {
  count = 0;
  /** Spans forgotten so far (the number of the span in slot 0). */
  dropped = 0;
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

  /** Forgets the `n` oldest spans (slots shift down; span numbers stay). */
  dropOldest(n: number): void {
    n = Math.min(n, this.count);
    if (n <= 0) return;
    for (const column of [this.worker, this.threadId, this.call, this.queued, this.started, this.finished, this.first, this.last, this.outcome]) {
      column.copyWithin(0, n, this.count);
    }
    const errors = [...this.errors];
    this.errors.clear();
    for (const [slot, name] of errors) if (slot >= n) this.errors.set(slot - n, name);
    this.count -= n;
    this.dropped += n;
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
    const out = allocSpanArrays(n);
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
