import type { BarKind, LaneSpan } from "./timeline-lanes";

/**
 * One drawn bar: a batch, or several neighbouring batches merged because they share a pixel. A merged
 * bar spans from the first batch's start to the last one's end, `first`–`last` cover all their items,
 * `kind` is the loudest of theirs, `wait` sums their queue waits and `error` is the first one's.
 */
export interface Bar extends LaneSpan {
  lane: number;
  batches: number;
  /** Items covered (sum over the merged batches). */
  items: number;
  /** Sum of batch durations. */
  busy: number;
  /** Batches of other calls merged in (only ever at sub-pixel widths). */
  mixed: boolean;
}

export interface BarOptions {
  /** Visible x range, ms. */
  range: readonly [number, number];
  /** Plot width in pixels. */
  widthPx: number;
  /** Up to this many batches in view, every batch is its own bar. */
  exactUpTo?: number;
  /** Above `exactUpTo`, merge coarser until at most this many bars remain. */
  maxBars?: number;
}

/** Louder kinds win when batches merge, so a failure never hides inside a merged bar. */
const LOUDNESS: Record<BarKind, number> = { ok: 0, running: 1, cancelled: 2, error: 3 };

/** Index of the first span that may reach into `[from, …)`: spans of a lane do not overlap. */
function firstVisible(lane: readonly LaneSpan[], from: number): number {
  let lo = 0;
  let hi = lane.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lane[mid]!.start < from) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo - 1);
}

function single(lane: number, s: LaneSpan): Bar {
  return { lane, start: s.start, end: s.end, call: s.call, kind: s.kind, batches: 1, first: s.first, last: s.last, items: s.last - s.first, busy: s.end - s.start, wait: s.wait, error: s.error, exitCode: s.exitCode, mixed: false };
}

function merge(bar: Bar, s: LaneSpan): void {
  bar.end = Math.max(bar.end, s.end);
  bar.batches++;
  bar.first = Math.min(bar.first, s.first);
  bar.last = Math.max(bar.last, s.last);
  bar.items += s.last - s.first;
  bar.busy += s.end - s.start;
  bar.wait += s.wait;
  bar.error ??= s.error;
  if (s.call !== bar.call) bar.mixed = true;
  if (LOUDNESS[s.kind] > LOUDNESS[bar.kind]) bar.kind = s.kind;
}

/** Spans of every lane overlapping `[from, to]`, as index ranges. */
function visible(lanes: readonly (readonly LaneSpan[])[], from: number, to: number): { lane: number; begin: number; end: number }[] {
  return lanes.map((lane, w) => {
    const begin = firstVisible(lane, from);
    let end = begin;
    while (end < lane.length && lane[end]!.start <= to) end++;
    return { lane: w, begin, end };
  });
}

/** A batch at least this many pixels wide keeps its own bar: it can be seen and hovered on its own. */
const WIDE_PX = 3;

/**
 * The bars to draw for the visible range (plus half a range width either side, so a short pan
 * shows bars before the redraw). Few batches: one bar each, exact. Many: batches too thin to see merge
 * with neighbours closer than a pixel, which keeps 10^5 spans to a few hundred SVG rectangles and
 * the page responsive; zooming in redraws with finer bars until every batch is its own.
 */
export function barsFor(lanes: readonly (readonly LaneSpan[])[], options: BarOptions): Bar[] {
  const { range, widthPx, exactUpTo = 2000, maxBars = 3000 } = options;
  const span = Math.max(range[1] - range[0], 1e-9);
  const views = visible(lanes, range[0] - span / 2, range[1] + span / 2);
  const total = views.reduce((n, v) => n + v.end - v.begin, 0);
  if (total <= exactUpTo) return views.flatMap((v) => lanes[v.lane]!.slice(v.begin, v.end).map((s) => single(v.lane, s)));
  let pixel = span / Math.max(widthPx, 1);
  for (;;) {
    const bars = mergeAt(lanes, views, pixel);
    if (bars.length <= maxBars) return bars;
    pixel *= 2;
  }
}

function mergeAt(lanes: readonly (readonly LaneSpan[])[], views: ReturnType<typeof visible>, pixel: number): Bar[] {
  const bars: Bar[] = [];
  for (const v of views) {
    const lane = lanes[v.lane]!;
    let current: Bar | undefined;
    for (let i = v.begin; i < v.end; i++) {
      const s = lane[i]!;
      // Never swallow a batch wide enough to show on its own, nor merge into one.
      const thin = s.end - s.start < WIDE_PX * pixel && current !== undefined && (current.batches > 1 || current.end - current.start < WIDE_PX * pixel);
      const close = current !== undefined && s.start - current.end < pixel;
      // Thin batches of the same call and kind merge across a sub-pixel gap; anything merges while the
      // result is still under two pixels wide (it could not be told apart on screen anyway).
      if (current && close && thin && ((s.call === current.call && s.kind === current.kind) || s.end - current.start < 2 * pixel)) merge(current, s);
      else {
        current = single(v.lane, s);
        bars.push(current);
      }
    }
  }
  return bars;
}
