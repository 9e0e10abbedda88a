import type { TimelinePayloadV1 } from "lanes/dist/wire/mime";

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number");

/**
 * The payload if it has the shape the renderer reads, else `undefined`. Saved notebooks can hold
 * anything under our MIME type (hand edits, other versions): check before trusting the arrays.
 */
export function asTimeline(data: unknown): TimelinePayloadV1 | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const p = data as Partial<TimelinePayloadV1>;
  const s = p.spans;
  if (p.version !== 1 || typeof p.workers !== "number" || !Array.isArray(p.calls) || typeof s !== "object" || s === null) return undefined;
  if (typeof s.count !== "number" || typeof s.outcome !== "string" || !Array.isArray(s.errorNames)) return undefined;
  const columns = [s.worker, s.queued, s.started, s.duration, s.items, s.callRuns, s.threads, s.itemJumps, s.errors];
  if (!columns.every(isNumberArray)) return undefined;
  if (typeof p.summary !== "object" || p.summary === null || !isNumberArray(p.summary.busy)) return undefined;
  // Optional (added after v1 shipped): labels that are not a list are dropped, not trusted; a
  // non-string entry reads `worker N` (workerLabel checks each).
  if (p.laneLabels !== undefined && !Array.isArray(p.laneLabels)) {
    const copy = { ...p };
    delete copy.laneLabels;
    return copy as TimelinePayloadV1;
  }
  return p as TimelinePayloadV1;
}
