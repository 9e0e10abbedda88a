/**
 * Spans of one pool call: one per batch, the part of a message (a run of consecutive chunks) one
 * worker ran. The queued time is the kernel's; started and finished are the worker's own stamps
 * (same clock: see src/trace/clock.ts), passed through `at` so recording costs no clock read of
 * its own.
 */
import type { SpanRecorder } from "../trace/span-recorder";
import type { BatchResult } from "./engine";
import type { LaneAllocator } from "./lane-allocator";

export class CallTrace {
  constructor(
    private readonly recorder: SpanRecorder,
    readonly call: number,
    private readonly lanes: LaneAllocator,
  ) {}

  /** Items `[first, last)` were sent; returns the span to settle. */
  queued(first: number, last: number): number {
    return this.recorder.queued(this.call, first, last);
  }

  /** The still-queued span `span` now stands for items `[first, last)`, sent to another worker; returns it. */
  moved(span: number, first: number, last: number): number {
    this.recorder.setItems(span, first, last);
    return span;
  }

  /** Items read so far, for a call over an input of unknown length (imap over a generator). */
  read(total: number): void {
    this.recorder.setTotal(this.call, total);
  }

  /**
   * The worker answered. A message that ran nothing was cancelled before it started, or shared out
   * whole to another worker (whose span covers its items).
   */
  ran(span: number, result: BatchResult): void {
    // Fewer items than queued: the rest was shared out to another worker (a span of its own), or
    // the call stopped at an error.
    this.recorder.ranItems(span, result.ran);
    if (result.ran === 0) {
      this.recorder.finished(span, "cancelled", undefined, result.finished);
      return;
    }
    this.recorder.started(span, this.lanes.laneOf(result.threadId), result.threadId, result.started);
    const error = result.errors[0];
    this.recorder.finished(span, error === undefined ? "ok" : "error", error?.error.name, result.finished);
  }

  /** The message never came back: its worker crashed (error) or was ended for a cancelled call. */
  lost(span: number, error: Error, cancelled: boolean): void {
    this.recorder.finished(span, cancelled ? "cancelled" : "error", error.name);
  }

  /** The call stopped early: what was still queued will not run. */
  stopped(): void {
    this.recorder.cancelQueued(this.call);
  }
}
