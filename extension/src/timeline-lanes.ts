import { decodeSpans } from "lanes/dist/wire/span-codec";
import type { SpanOutcome, TimelinePayloadV1 } from "lanes/dist/wire/mime";

/** What a bar shows: how its batch ended, or that it is still running. */
export type BarKind = Exclude<SpanOutcome, "queued">;

/** A started batch on its lane. Times in ms since the timeline's origin. */
export interface LaneSpan {
  start: number;
  /** Finish time; for a running batch, the timeline's "now". */
  end: number;
  call: number;
  kind: BarKind;
  first: number;
  last: number;
  /** started − queued. */
  wait: number;
  error?: string | undefined;
  /** A Process's exit code (Process timelines only). */
  exitCode?: number | undefined;
}

/** A timeline's batches by worker lane, as the renderer draws them. */
export interface LaneModel {
  /** Per worker lane, batches in start order. */
  lanes: LaneSpan[][];
  /** Where the x axis ends: wall time, or the latest finish if later. */
  end: number;
  /** Batches not started yet (no lane to draw them on). */
  waiting: number;
}

/** Decodes the payload's spans and sorts them into worker lanes. */
export function toLanes(p: TimelinePayloadV1): LaneModel {
  const spans = decodeSpans(p.spans);
  let end = Number.isFinite(p.summary.wallMs) ? p.summary.wallMs : 0;
  for (const s of spans) end = Math.max(end, s.finished ?? 0);
  let count = Math.max(1, Math.floor(p.workers));
  for (const s of spans) if (s.started !== undefined) count = Math.max(count, s.worker + 1);
  const lanes: LaneSpan[][] = Array.from({ length: count }, () => []);
  let waiting = 0;
  for (const s of spans) {
    if (s.started === undefined || s.worker < 0 || s.outcome === "queued") {
      if (s.outcome === "queued") waiting++;
      continue;
    }
    lanes[s.worker]!.push({
      start: s.started,
      end: s.finished ?? Math.max(end, s.started),
      call: s.call,
      kind: s.outcome,
      first: s.items[0],
      last: s.items[1],
      wait: Math.max(0, s.started - s.queued),
      error: s.error,
      exitCode: s.exitCode,
    });
  }
  for (const lane of lanes) {
    // Spans arrive in queue order; a lane's bars and gaps are read in start order.
    let sorted = true;
    for (let i = 1; i < lane.length && sorted; i++) sorted = lane[i - 1]!.start <= lane[i]!.start;
    if (!sorted) lane.sort((a, b) => a.start - b.start);
  }
  return { lanes, end, waiting };
}

/** Idle time between batches: gaps of at least `minMs` on any lane within `[0, end]`. */
export interface IdleGaps {
  count: number;
  totalMs: number;
  longestMs: number;
  longestLane: number;
  longestAt: number;
}

export function idleGaps(model: LaneModel, minMs: number): IdleGaps {
  const gaps: IdleGaps = { count: 0, totalMs: 0, longestMs: 0, longestLane: -1, longestAt: 0 };
  model.lanes.forEach((lane, w) => {
    let free = 0;
    const note = (from: number, to: number) => {
      const gap = to - from;
      if (gap < minMs || gap <= 0) return;
      gaps.count++;
      gaps.totalMs += gap;
      if (gap > gaps.longestMs) Object.assign(gaps, { longestMs: gap, longestLane: w, longestAt: from });
    };
    for (const s of lane) {
      note(free, s.start);
      free = Math.max(free, s.end);
    }
    note(free, model.end);
  });
  return gaps;
}
