/**
 * Processes as a timeline: one lane per Process, from `start()` to its thread's exit. Each Process
 * is also its own call (named after the Process), so the legend and tooltips name it. The span's
 * queue wait is the thread's start-up (start() until the target was called); its exit code rides
 * in the tooltip. Exit code 0 draws as ok, a positive one as an error (red), a negative one (ended
 * from outside: terminate, kill, interrupt, shutdown) as cancelled.
 */
import { now } from "../trace/clock";
import { extrasFor } from "../trace/extras";
import { Timeline, type SpanInput } from "../trace/timeline";
import type { SpanOutcome } from "../wire/mime";
import type { ProcessRecord } from "./record";

function outcomeOf(r: ProcessRecord): SpanOutcome {
  if (r.exitCode === null) return Number.isNaN(r.started) ? "queued" : "running";
  if (r.exitCode === 0) return "ok";
  return r.exitCode > 0 ? "error" : "cancelled";
}

/** The timeline of `records` (any order), as of `at`. */
export function processTimeline(records: readonly ProcessRecord[], at: number = now()): Timeline {
  const sorted = [...records].sort((a, b) => a.queued - b.queued);
  const origin = sorted[0]?.queued ?? at;
  const spans = sorted.map((r, k): SpanInput => {
    const outcome = outcomeOf(r);
    const span: SpanInput = { worker: k, threadId: r.threadId, call: k, queued: r.queued - origin, items: [0, 1], outcome };
    if (!Number.isNaN(r.started)) span.started = r.started - origin;
    if (!Number.isNaN(r.finished)) span.finished = r.finished - origin;
    if (outcome === "error") span.error = r.errorName ?? "nonzero exit";
    if (r.exitCode !== null) span.exitCode = r.exitCode;
    return span;
  });
  // Waits of each Process's thread go on its lane; the window ends when the last one exited (or now).
  const laneOf = new Map(sorted.map((r, k) => [r.threadId, k] as const));
  const to = sorted.reduce((end, r) => Math.max(end, Number.isNaN(r.finished) ? Infinity : r.finished), origin);
  const extras = extrasFor(origin, to, origin, laneOf);
  const names = sorted.map((r) => r.name);
  // Each lane is one Process: named after it (as its call is), so the axis reads `loader`, not `worker 0`.
  return Timeline.fromSpans(spans, { origin, calls: names, workers: sorted.length, total: sorted.length, asOf: Math.max(0, at - origin), extras, laneLabels: names, kind: "processes" });
}
