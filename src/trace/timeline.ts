/**
 * A snapshot of what a pool's workers did: spans plus summary figures. `show(timeline)` draws it;
 * it is also displayable on its own (`Symbol.for("Jupyter.display")`), so Deno's kernel renders it
 * as a cell's last value.
 */
import { DISPLAY, type MimeBundle } from "../display/bundle";
import { allocSpanArrays, decodeSpans, encodeSpans, isDone, OUTCOMES, type SpanArrays } from "../wire/span-codec";
import { timelineBundle } from "../display/timeline-bundle";
import { timelineText } from "../display/timeline-text";
import type { LaneStateV1, ProgressV1, SpanV1, TimelineKind, TimelinePayloadV1, TimelineSummaryV1 } from "../wire/mime";
import { encodeTrack, encodeWaits } from "../wire/wait-codec";
import type { TimelineExtras } from "./extras";
import { summarize } from "./summary";

const QUEUED = OUTCOMES.indexOf("queued");
const RUNNING = OUTCOMES.indexOf("running");

/** What a {@link Timeline} is made of. Times in `spans` are ms since `origin`. */
export interface TimelineInit {
  /** Wall-clock time (ms since the epoch) of time 0. */
  origin: number;
  spans: SpanArrays;
  calls: readonly string[];
  workers: number;
  /** Items of all the calls covered. */
  total: number;
  /** When the snapshot was taken, ms since `origin` (running batches count as busy until then). */
  asOf: number;
  /** Slow-path waits and queue depth tracks over the same window (times since `origin`). */
  extras?: TimelineExtras | undefined;
  /** What each lane stands for, by lane (a cluster pool's `host:pid/threadId`); none: `worker N`. */
  laneLabels?: readonly string[] | undefined;
  /** What the lanes are: a pool's workers, or one Process each (`Process.timeline()`). @default "pool" */
  kind?: TimelineKind | undefined;
}

/** Options of {@link Timeline.toPayload}. */
export interface TimelinePayloadOptions {
  /**
   * Keep at most this many spans (the newest), to keep a live update small; the rest are counted
   * in `omittedSpans`. A final timeline keeps them all.
   * @default Infinity
   * @example timeline.toPayload({ maxSpans: 2000 })
   */
  maxSpans?: number;
}

/** A span as given to {@link Timeline.fromSpans}: times in ms since the origin. */
export type SpanInput = SpanV1;

export class Timeline {
  readonly origin: number;
  readonly calls: readonly string[];
  readonly workers: number;
  readonly total: number;
  readonly asOf: number;
  private readonly arrays: SpanArrays;
  /** Waits (lock, condition, event, barrier) and queue depth tracks of the window. */
  readonly extras: TimelineExtras;
  /** What each lane stands for, by lane (a cluster pool's `host:pid/threadId`); empty for a local pool. */
  readonly laneLabels: readonly string[];
  /** What the lanes are: a pool's workers, or one Process each. */
  readonly kind: TimelineKind;
  private cachedSummary: TimelineSummaryV1 | undefined;

  constructor(init: TimelineInit) {
    this.origin = init.origin;
    this.calls = init.calls;
    this.workers = init.workers;
    this.total = init.total;
    this.asOf = init.asOf;
    this.arrays = init.spans;
    this.extras = init.extras ?? { waits: [], lostWaits: 0, tracks: [] };
    this.laneLabels = init.laneLabels ?? [];
    this.kind = init.kind ?? "pool";
  }

  /**
   * Builds a timeline from span objects (times in ms since `origin`). What `options` leaves out comes
   * from the spans: origin 0, calls named `call 0`, `call 1` …, as many workers as lanes used, total
   * up to the last item, and the latest time as `asOf`.
   * @example Timeline.fromSpans([{ worker: 0, threadId: 1, call: 0, queued: 0, started: 1, finished: 5, items: [0, 10], outcome: "ok" }], { calls: ["f"] })
   */
  static fromSpans(spans: readonly SpanInput[], options: Partial<Omit<TimelineInit, "spans">> = {}): Timeline {
    const n = spans.length;
    const a = allocSpanArrays(n);
    let calls = 0;
    let workers = 0;
    let total = 0;
    let asOf = 0;
    spans.forEach((s, i) => {
      a.worker[i] = s.worker;
      a.threadId[i] = s.threadId;
      a.call[i] = s.call;
      a.queued[i] = s.queued;
      a.started[i] = s.started ?? NaN;
      a.finished[i] = s.finished ?? NaN;
      a.first[i] = s.items[0];
      a.last[i] = s.items[1];
      a.outcome[i] = Math.max(0, OUTCOMES.indexOf(s.outcome));
      if (s.error !== undefined || s.outcome === "error") a.errors.set(i, s.error ?? "Error");
      if (s.exitCode !== undefined) a.exitCodes.set(i, s.exitCode);
      calls = Math.max(calls, s.call + 1);
      workers = Math.max(workers, s.worker + 1);
      total = Math.max(total, s.items[1]);
      asOf = Math.max(asOf, s.queued, s.started ?? 0, s.finished ?? 0);
    });
    return new Timeline({
      origin: options.origin ?? 0,
      spans: a,
      calls: options.calls ?? Array.from({ length: calls }, (_, i) => `call ${i}`),
      workers: options.workers ?? workers,
      total: options.total ?? total,
      asOf: options.asOf ?? asOf,
      extras: options.extras,
      laneLabels: options.laneLabels,
      kind: options.kind,
    });
  }

  /** Number of spans (batches). */
  get count(): number {
    return this.arrays.count;
  }

  /** Items whose batches finished (ok or failed). */
  get done(): number {
    const a = this.arrays;
    let done = 0;
    for (let i = 0; i < a.count; i++) if (isDone(a.outcome[i]!)) done += a.last[i]! - a.first[i]!;
    return done;
  }

  /** Whether some batch is still queued or running. */
  get live(): boolean {
    const a = this.arrays;
    for (let i = 0; i < a.count; i++) if (a.outcome[i] === QUEUED || a.outcome[i] === RUNNING) return true;
    return false;
  }

  /** Wall time, busy share per worker, parallelism, serial estimate, speedup, queue wait. */
  summary(): TimelineSummaryV1 {
    return (this.cachedSummary ??= summarize(this.arrays, this.workers, this.asOf, this.extras.waits, this.extras.lostWaits));
  }

  /** The spans as objects (times in ms since `origin`). */
  spans(): SpanV1[] {
    return decodeSpans(encodeSpans(this.arrays));
  }

  /** Rate, ETA and what each worker is doing, as of the snapshot. */
  progress(): ProgressV1 {
    const a = this.arrays;
    const done = this.done;
    const elapsed = Math.max(0, this.asOf);
    const ratePerSec = elapsed > 0 ? (done * 1000) / elapsed : 0;
    const lanes: LaneStateV1[] = Array.from({ length: this.workers }, (_, w) => ({ worker: w, threadId: -1, state: "idle" as const }));
    for (let i = 0; i < a.count; i++) {
      const w = a.worker[i]!;
      if (w < 0) continue;
      const lane = (lanes[w] ??= { worker: w, threadId: -1, state: "idle" });
      lane.threadId = a.threadId[i]!;
      if (a.outcome[i] === RUNNING) {
        lane.state = "busy";
        lane.items = [a.first[i]!, a.last[i]!];
        lane.forMs = Math.max(0, this.asOf - a.started[i]!);
      }
    }
    return { ratePerSec, etaMs: ratePerSec > 0 ? ((this.total - done) * 1000) / ratePerSec : null, elapsedMs: elapsed, lanes };
  }

  /** The `application/vnd.lanes.timeline.v1+json` payload. */
  toPayload(options: TimelinePayloadOptions = {}): TimelinePayloadV1 {
    const live = this.live;
    const keep = Math.min(this.count, Math.max(0, options.maxSpans ?? Infinity));
    const from = this.count - keep;
    const payload: TimelinePayloadV1 = {
      version: 1,
      origin: this.origin,
      calls: [...this.calls],
      workers: this.workers,
      live,
      done: this.done,
      total: this.total,
      spans: encodeSpans(this.arrays, from),
      omittedSpans: from,
      summary: this.summary(),
    };
    if (live) payload.progress = this.progress();
    // Added after v1 shipped: only present when there is something, so other payloads stay as they were.
    if (this.extras.waits.length > 0) payload.waits = encodeWaits(this.extras.waits);
    if (this.extras.tracks.length > 0) payload.tracks = this.extras.tracks.map((t) => encodeTrack(t.name, t.maxsize, t.everyMs, t.samples));
    if (this.kind !== "pool") payload.kind = this.kind;
    if (this.laneLabels.length > 0) payload.laneLabels = Array.from(this.laneLabels, (label: string | undefined) => label ?? "");
    return payload;
  }

  toJSON(): TimelinePayloadV1 {
    return this.toPayload();
  }

  toString(): string {
    return timelineText(this.toPayload());
  }

  /** The full MIME bundle: Lanes JSON, static HTML (SVG Gantt), plain text. */
  [DISPLAY](): MimeBundle {
    return timelineBundle(this.toPayload());
  }
}
