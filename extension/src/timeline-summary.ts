import { formatCount, formatMs, formatPercent } from "lanes/dist/wire/format";
import { barsText, batchCount, doneText, figureText, isProcessTimeline, summaryFigures, TIMELINE_NAME, titleCalls, workerLabel } from "lanes/dist/wire/timeline-labels";
import type { TimelinePayloadV1 } from "lanes/dist/wire/mime";
import { idleGaps, type LaneModel } from "./timeline-lanes";

/** Gaps shorter than this share of the wall time are dispatch noise, not idleness worth a word. */
const GAP_SHARE = 0.01;

/**
 * The figures line above the chart: the summary figures of the text and HTML fallbacks, in their
 * words (each worker's busy share is on its lane's label), then the idle gaps only the lanes show.
 * Plain text.
 */
export function summaryText(p: TimelinePayloadV1, model: LaneModel): string {
  const parts = summaryFigures(p).map(figureText);
  // A Process's lane is idle only before it started and after it ended: no gap worth a word.
  if (isProcessTimeline(p)) return parts.join(" · ");
  const gaps = idleGaps(model, p.summary.wallMs * GAP_SHARE);
  parts.push(
    gaps.count === 0
      ? "no idle gaps"
      : `${formatCount(gaps.count)} idle gap${gaps.count === 1 ? "" : "s"} (${formatMs(gaps.totalMs)} in all, longest ${formatMs(gaps.longestMs)} on ${workerLabel(gaps.longestLane, p.laneLabels)} at ${formatMs(gaps.longestAt)})`,
  );
  return parts.join(" · ");
}

/** The title line: what ran, how many batches (bars) and items, or how many Processes. */
export function titleText(p: TimelinePayloadV1): string {
  const names = titleCalls(p);
  const omitted = p.omittedSpans > 0 ? ` (${formatCount(p.omittedSpans)} earliest not shown)` : "";
  return `${names || TIMELINE_NAME} · ${barsText(p, p.spans.count + p.omittedSpans, false)}${omitted} · ${doneText(p)}`;
}

/** The progress line of a live display; `undefined` once the work is done. */
export function progressText(p: TimelinePayloadV1, waiting: number): string | undefined {
  if (!p.live) return undefined;
  const share = p.total > 0 ? p.done / p.total : 0;
  // Processes are not items of one call: their bars show what runs, a rate or an ETA would be noise.
  if (isProcessTimeline(p)) return `running: ${doneText(p)}`;
  const parts = [`running: ${formatPercent(share)}`];
  if (p.progress) {
    parts.push(`${p.progress.ratePerSec.toFixed(p.progress.ratePerSec < 10 ? 1 : 0)} items/s`);
    parts.push(p.progress.etaMs === null ? "ETA –" : `ETA ${formatMs(p.progress.etaMs)}`);
    const busy = p.progress.lanes.filter((l) => l.state === "busy").length;
    parts.push(`${busy}/${p.progress.lanes.length} workers busy`);
  }
  if (waiting > 0) parts.push(`${batchCount(waiting)} queued`);
  return parts.join(" · ");
}
