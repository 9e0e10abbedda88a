/**
 * The figures above a timeline, computed from its spans. Running batches count as busy up to `asOf`
 * (the moment of the snapshot), so a live display's figures grow while it runs.
 */
import { OUTCOMES, type SpanArrays } from "../wire/span-codec";
import type { TimelineSummaryV1, WaitV1 } from "../wire/mime";
import { isLockKind, waitTarget } from "../wire/wait-codec";

const ERROR = OUTCOMES.indexOf("error");

/**
 * - wall: first batch queued → last batch finished (what the caller waited);
 * - parallelism: busy time / (first start → last finish): workers busy on average while work ran;
 * - speedup: busy time / wall: the same, but charged with start-up and queueing, as the caller saw it.
 */
export function summarize(spans: SpanArrays, workers: number, asOf: number, waits: readonly WaitV1[] = [], lostWaits = 0): TimelineSummaryV1 {
  let firstQueued = Infinity;
  let firstStarted = Infinity;
  let lastEnd = -Infinity;
  let serial = 0;
  let queueWait = 0;
  let errors = 0;
  let lanes = workers;
  for (let i = 0; i < spans.count; i++) lanes = Math.max(lanes, (spans.worker[i] ?? -1) + 1);
  const busyMs = new Array<number>(lanes).fill(0);
  for (let i = 0; i < spans.count; i++) {
    const q = spans.queued[i]!;
    const s = spans.started[i]!;
    const f = spans.finished[i]!;
    firstQueued = Math.min(firstQueued, q);
    if (spans.outcome[i] === ERROR) errors++;
    if (Number.isNaN(s)) {
      // Never started: waited until it was cancelled, or is still waiting.
      const until = Number.isNaN(f) ? asOf : f;
      queueWait += Math.max(0, until - q);
      lastEnd = Math.max(lastEnd, until);
      continue;
    }
    const end = Number.isNaN(f) ? Math.max(asOf, s) : f;
    firstStarted = Math.min(firstStarted, s);
    lastEnd = Math.max(lastEnd, end);
    queueWait += Math.max(0, s - q);
    const d = Math.max(0, end - s);
    serial += d;
    const w = spans.worker[i]!;
    if (w >= 0) busyMs[w] = (busyMs[w] ?? 0) + d;
  }
  const wall = Number.isFinite(firstQueued) ? Math.max(0, lastEnd - firstQueued) : 0;
  const active = Number.isFinite(firstStarted) ? Math.max(0, lastEnd - firstStarted) : 0;
  const summary: TimelineSummaryV1 = {
    wallMs: wall,
    busy: busyMs.map((b) => (wall > 0 ? Math.min(1, b / wall) : 0)),
    parallelism: active > 0 ? serial / active : 0,
    serialEstimateMs: serial,
    speedup: wall > 0 ? serial / wall : 0,
    queueWaitMs: queueWait,
    errors,
  };
  addWaits(summary, waits, lostWaits);
  return summary;
}

/** Lock waits (total, longest and on what) and other waits, when there were any. */
function addWaits(summary: TimelineSummaryV1, waits: readonly WaitV1[], lostWaits: number): void {
  let lockWaits = 0;
  let lockWaitMs = 0;
  let longest = -1;
  let longestOn = "";
  let otherWaits = 0;
  let otherWaitMs = 0;
  for (const w of waits) {
    const d = Math.max(0, w.end - w.start);
    if (isLockKind(w.kind)) {
      lockWaits++;
      lockWaitMs += d;
      if (d > longest) {
        longest = d;
        longestOn = waitTarget(w.kind, w.object);
      }
    } else {
      otherWaits++;
      otherWaitMs += d;
    }
  }
  if (lockWaits > 0) Object.assign(summary, { lockWaits, lockWaitMs, longestLockWaitMs: longest, longestLockWaitOn: longestOn });
  if (otherWaits > 0) Object.assign(summary, { otherWaits, otherWaitMs });
  if (lostWaits > 0) summary.lostWaits = lostWaits;
}
