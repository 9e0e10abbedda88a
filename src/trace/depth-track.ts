/**
 * Queue depth tracks: `trackDepth(queue)` samples `queue.qsize()` on this thread (the kernel) every
 * `every` ms, and every timeline built afterwards draws the samples in its window as a track under
 * the worker lanes.
 *
 * Why sampled rather than recorded at each put/get: a put or get is a few hundred nanoseconds on
 * the fast path, and a clock read plus a shared log write on each would cost queues a large share
 * of their speed, whether or not anyone looks. Sampling costs the queue nothing (`qsize()` is two
 * atomic loads) and the kernel one timer tick per `every` ms while tracking; the price is that a
 * change shorter than `every` may not show. Only changes are kept, so an idle queue costs no memory.
 */
import { now } from "./clock";

/** What `trackDepth` reads: a `Queue` or `JoinableQueue` (anything with an exact `qsize()`). */
export interface Sizable {
  qsize(): number;
  readonly maxsize?: number;
}

/** Options of {@link trackDepth}. */
export interface TrackDepthOptions {
  /**
   * The track's label in timelines.
   * @default `Queue#1`, `Queue#2` … in the order queues were first tracked
   * @example trackDepth(tasks, { name: "tasks" })
   */
  name?: string;
  /**
   * Sampling interval in ms (at least 1): a change of depth that lasts less may not show.
   * @default 2
   * @example trackDepth(results, { every: 10 }) // a long run: fewer samples
   */
  every?: number;
  /**
   * Changes of depth kept (the oldest quarter is forgotten past it).
   * @default 100000
   * @example trackDepth(q, { maxSamples: 10_000 })
   */
  maxSamples?: number;
}

/** A running depth track; `stop()` ends the sampling (its samples stay in later timelines). */
export interface DepthTracker {
  readonly name: string;
  readonly everyMs: number;
  /** `[time ms since the epoch, depth]`, one per change of depth. */
  samples(): readonly (readonly [number, number])[];
  /** Samples once more now and stops the timer. Idempotent. */
  stop(): void;
  readonly stopped: boolean;
}

class Track implements DepthTracker {
  readonly times: number[] = [];
  readonly depths: number[] = [];
  readonly maxsize: number;
  /** When `stop()` was called (ms since the epoch); Infinity while sampling. */
  stoppedAt = Infinity;
  private queue: Sizable | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = NaN;

  constructor(
    queue: Sizable,
    readonly name: string,
    readonly everyMs: number,
    private readonly maxSamples: number,
  ) {
    this.queue = queue;
    this.maxsize = typeof queue.maxsize === "number" ? queue.maxsize : 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    // Tracking must never keep a script or the kernel alive.
    this.timer.unref();
  }

  get stopped(): boolean {
    return this.timer === undefined;
  }

  sample(): void {
    if (this.queue === undefined) return;
    let depth: number;
    try {
      depth = this.queue.qsize();
    } catch {
      return; // a closed or broken queue: nothing to read
    }
    if (depth === this.last) return;
    this.last = depth;
    this.times.push(now());
    this.depths.push(depth);
    if (this.times.length > this.maxSamples) {
      const n = this.times.length - Math.floor((this.maxSamples * 3) / 4);
      this.times.splice(0, n);
      this.depths.splice(0, n);
    }
  }

  samples(): readonly (readonly [number, number])[] {
    return this.times.map((t, i) => [t, this.depths[i]!] as const);
  }

  stop(): void {
    if (this.timer === undefined) return;
    this.sample();
    clearInterval(this.timer);
    this.timer = undefined;
    this.stoppedAt = now();
    // The samples stay; the queue need not.
    this.queue = undefined;
  }
}

const tracks: Track[] = [];
const byQueue = new WeakMap<Sizable, Track>();
let named = 0;

/**
 * Starts recording `queue`'s depth (`qsize()`) over time, sampled on this thread every `every` ms;
 * every timeline built afterwards (`pool.timeline()`, `Process.timeline()`) shows it as a track under
 * the worker lanes, over the timeline's time window. Tracking the same queue again returns its
 * tracker. Call on the kernel thread, before the work starts.
 *
 * @example
 * const tasks = new Queue<number>();
 * const depth = trackDepth(tasks, { name: "tasks" });
 * // … Processes put and get …
 * depth.stop();
 * show(Process.timeline({ since: mark }));
 */
export function trackDepth(queue: Sizable, options: TrackDepthOptions = {}): DepthTracker {
  if (typeof (queue as Partial<Sizable> | null)?.qsize !== "function") {
    throw new TypeError("trackDepth needs a Queue or JoinableQueue (something with qsize()); a SimpleQueue has no qsize, as in Python");
  }
  const known = byQueue.get(queue);
  if (known !== undefined && !known.stopped) return known;
  const every = options.every ?? 2;
  if (typeof every !== "number" || !(every >= 1) || !Number.isFinite(every)) {
    throw new RangeError(`trackDepth's every must be a number of milliseconds >= 1, got ${String(every)}`);
  }
  const track = new Track(queue, options.name ?? known?.name ?? `Queue#${++named}`, every, Math.max(16, options.maxSamples ?? 100_000));
  if (known !== undefined) {
    // Tracked again after stop(): one track, its samples continuing.
    track.times.unshift(...known.times);
    track.depths.unshift(...known.depths);
    tracks.splice(tracks.indexOf(known), 1);
  }
  tracks.push(track);
  byQueue.set(queue, track);
  return track;
}

/** One track as a timeline sees it: samples in `[from, to]` (and the one before, the depth at `from`). */
export interface TrackWindow {
  name: string;
  maxsize: number;
  everyMs: number;
  samples: [number, number][];
}

/** Every track's samples in `[from, to]` (ms since the epoch), times relative to `origin`. */
export function depthTracksIn(from: number, to: number, origin: number): TrackWindow[] {
  const out: TrackWindow[] = [];
  for (const track of tracks) {
    // A track stopped before the window (an earlier cell's) is not part of it.
    if (track.stoppedAt < from) continue;
    track.sample();
    const samples: [number, number][] = [];
    const { times, depths } = track;
    for (let i = 0; i < times.length; i++) {
      const t = times[i]!;
      if (t > to) break;
      const next = times[i + 1];
      // The sample in force at `from` starts the track at `from`.
      if (t < from && (next === undefined || next <= from)) continue;
      samples.push([Math.max(t, from) - origin, depths[i]!]);
    }
    if (samples.length > 0) out.push({ name: track.name, maxsize: track.maxsize, everyMs: track.everyMs, samples });
  }
  return out;
}

/** Stops and forgets every track (tests). */
export function forgetDepthTracks(): void {
  for (const track of tracks) track.stop();
  tracks.length = 0;
  named = 0;
}
