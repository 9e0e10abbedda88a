/**
 * Wait marks as both timeline renderers draw them (the SVG fallback in src/display and the
 * extension's plotly figure): 10^5 recorded waits would be 10^5 shapes, so waits of one lane and
 * colour closer than a pixel apart become one mark.
 */
import type { WaitV1 } from "./mime";
import { isLockKind, waitTarget } from "./wait-codec";

/** One drawn mark: the waits of one lane and colour (locks and semaphores, or the rest) it merged. */
export interface WaitMark {
  /** The row it is drawn on (as `rowOf` gave it). */
  lane: number;
  /** A lock or semaphore wait (dark orange), else a condition, event or barrier wait. */
  lock: boolean;
  start: number;
  end: number;
  /** How many waits it merged. */
  waits: number;
  /** Summed duration of the merged waits. */
  total: number;
  /** What the first merged wait waited on (`Lock#3`). */
  on: string;
}

/**
 * Merges `waits` (in start order, as recorded) closer than `pixelMs` into marks. `rowOf` maps a
 * wait's lane (`KERNEL_LANE` too) to the row it is drawn on, or -1 to leave it out; waits wholly
 * outside `[from, to]` are left out.
 */
export function waitMarks(waits: readonly WaitV1[], rowOf: (lane: number) => number, pixelMs: number, from = -Infinity, to = Infinity): WaitMark[] {
  const last = new Map<number, WaitMark>();
  const marks: WaitMark[] = [];
  for (const w of waits) {
    if (w.end < from || w.start > to) continue;
    const lane = rowOf(w.lane);
    if (lane < 0) continue;
    const lock = isLockKind(w.kind);
    const key = lane * 2 + (lock ? 1 : 0);
    const prev = last.get(key);
    if (prev !== undefined && w.start - prev.end < pixelMs) {
      prev.end = Math.max(prev.end, w.end);
      prev.waits++;
      prev.total += w.end - w.start;
      continue;
    }
    const mark: WaitMark = { lane, lock, start: w.start, end: w.end, waits: 1, total: w.end - w.start, on: waitTarget(w.kind, w.object) };
    last.set(key, mark);
    marks.push(mark);
  }
  return marks;
}
