/**
 * The live display of one pool call: a progress bar, rate, ETA and what each worker does, updated
 * in place (Jupyter `display_id`) at most `maxUpdatesPerSecond` times, then replaced by the final
 * static timeline. In plain Node it is a one-line bar on stderr (TTY only).
 *
 * The pool calls `startProgress(recorder, call)` when a call begins with `progress: true`, and
 * `finish()` when the call settles (success, error or abort). Recorder events drive the updates.
 */
import { now, type Clock } from "../trace/clock";
import type { SpanRecorder } from "../trace/span-recorder";
import type { Timeline } from "../trace/timeline";
import { newDisplayId, type DisplayAdapter } from "./adapter";
import type { MimeBundle } from "./bundle";
import { currentAdapter } from "./current-adapter";
import type { TextStream } from "./node-adapter";
import { StderrBar } from "./stderr-bar";
import { timelineBundle } from "./timeline-bundle";

/** Options of {@link startProgress}. */
export interface ProgressOptions {
  /**
   * Most display updates per second (the final timeline is sent on top, once).
   * @default 10
   * @example startProgress(rec, call, { maxUpdatesPerSecond: 4 })
   */
  maxUpdatesPerSecond?: number;
  /**
   * Spans carried by each live update (the newest); the final timeline carries all of them.
   * @default 2000
   * @example startProgress(rec, call, { maxSpans: 500 })
   */
  maxSpans?: number;
  /**
   * Where the display goes.
   * @default the running kernel (tslab or Deno), else a stderr bar
   * @example startProgress(rec, call, { adapter: testAdapter })
   */
  adapter?: DisplayAdapter;
  /**
   * Where the plain-Node bar goes (drawn only if it is a TTY).
   * @default process.stderr
   * @example startProgress(rec, call, { stream: process.stdout })
   */
  stream?: TextStream;
  /**
   * Time source for throttling.
   * @default the span clock (performance.timeOrigin + performance.now())
   * @example startProgress(rec, call, { clock: () => Date.now() })
   */
  clock?: Clock;
}

export class LiveProgress {
  /** Display messages sent so far (the first display, its updates, and the final one). */
  sent = 0;
  private readonly id = newDisplayId();
  private readonly interval: number;
  private readonly adapter: DisplayAdapter;
  private readonly bar: StderrBar | undefined;
  private readonly unsubscribe: () => void;
  private last = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Set by `finish`; no live update goes out after it. */
  private final: Timeline | undefined;

  constructor(
    private readonly recorder: SpanRecorder,
    private readonly call: number,
    private readonly options: ProgressOptions = {},
  ) {
    this.interval = 1000 / Math.max(0.001, options.maxUpdatesPerSecond ?? 10);
    this.adapter = options.adapter ?? currentAdapter();
    this.bar = this.adapter.kind === "node" ? new StderrBar(options.stream) : undefined;
    this.unsubscribe = recorder.subscribe(() => this.schedule());
    this.send();
  }

  private now(): number {
    return this.options.clock ? this.options.clock() : now();
  }

  /** Sends now if the last send is old enough, else once when it is (trailing edge: the latest state always shows). */
  private schedule(): void {
    if (this.final || this.timer !== undefined) return;
    const wait = this.last + this.interval - this.now();
    if (wait <= 0) {
      this.send();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, wait);
    // A pending redraw must not keep a finished script alive.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private send(): void {
    if (this.final) return;
    this.last = this.now();
    const timeline = this.recorder.timeline({ call: this.call });
    if (this.bar) {
      const p = timeline.progress();
      this.bar.draw(timeline.done, timeline.total, p.ratePerSec, p.etaMs, p.lanes.filter((l) => l.state === "busy").length, timeline.workers);
      this.sent++;
      return;
    }
    this.post(timelineBundle(timeline.toPayload({ maxSpans: this.options.maxSpans ?? 2000 })));
  }

  private post(bundle: MimeBundle): void {
    if (this.sent === 0) this.adapter.display(bundle, this.id);
    else this.adapter.update(bundle, this.id);
    this.sent++;
  }

  /** Stops the live updates and replaces the display with the final timeline, which it returns. Idempotent. */
  finish(): Timeline {
    if (this.final) return this.final;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe();
    const timeline = this.recorder.timeline({ call: this.call });
    this.final = timeline;
    if (this.bar) {
      this.bar.end(timeline.done, timeline.total, timeline.summary().wallMs);
    } else {
      this.post(timelineBundle(timeline.toPayload()));
    }
    return timeline;
  }
}

/**
 * Shows a live progress display for `call` of `recorder`, updated as spans are recorded.
 *
 * @example
 * const call = recorder.beginCall("square", xs.length, 4);
 * const progress = startProgress(recorder, call);
 * try { … run the tasks, recording spans … } finally { progress.finish(); }
 */
export function startProgress(recorder: SpanRecorder, call: number, options: ProgressOptions = {}): LiveProgress {
  return new LiveProgress(recorder, call, options);
}
