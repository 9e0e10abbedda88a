import { formatCount, formatDone, formatMs, formatPercent } from "lanes/dist/display/format";
import type { TimelinePayloadV1 } from "lanes/dist/display/wire";
import { idleGaps, type Lanes } from "./timeline-lanes";

/** Gaps shorter than this share of the wall time are dispatch noise, not idleness worth a word. */
const GAP_SHARE = 0.01;

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The figures line above the chart: wall time, busy share, speedup, idle gaps, failures. Plain text. */
export function summaryText(p: TimelinePayloadV1, model: Lanes): string {
  const s = p.summary;
  const parts = [`wall ${formatMs(s.wallMs)}`, `busy ${formatPercent(mean(s.busy))} of ${p.workers} worker${p.workers === 1 ? "" : "s"}`, `speedup ${s.speedup.toFixed(2)}×`];
  const gaps = idleGaps(model, s.wallMs * GAP_SHARE);
  parts.push(
    gaps.count === 0
      ? "no idle gaps"
      : `${formatCount(gaps.count)} idle gap${gaps.count === 1 ? "" : "s"} (${formatMs(gaps.totalMs)} in all, longest ${formatMs(gaps.longestMs)} on worker ${gaps.longestLane} at ${formatMs(gaps.longestAt)})`,
  );
  const tasks = p.spans.count + p.omittedSpans;
  if (tasks > 0) parts.push(`queue wait ${formatMs(s.queueWaitMs / tasks)} per task`);
  if (s.errors > 0) parts.push(`${formatCount(s.errors)} failed`);
  return parts.join(" · ");
}

/** The title line: what ran, how many tasks and items. */
export function titleText(p: TimelinePayloadV1): string {
  const names = p.calls.length <= 3 ? p.calls.join(", ") : `${p.calls.slice(0, 3).join(", ")} and ${p.calls.length - 3} more`;
  const tasks = p.spans.count + p.omittedSpans;
  const omitted = p.omittedSpans > 0 ? ` (${formatCount(p.omittedSpans)} earliest not shown)` : "";
  return `${names || "Lanes timeline"} · ${formatCount(tasks)} task${tasks === 1 ? "" : "s"}${omitted} · ${formatDone(p.done, p.total)}`;
}

/** The progress line of a live display; `undefined` once the work is done. */
export function progressText(p: TimelinePayloadV1, waiting: number): string | undefined {
  if (!p.live) return undefined;
  const share = p.total > 0 ? p.done / p.total : 0;
  const parts = [`running: ${formatPercent(share)}`];
  if (p.progress) {
    parts.push(`${p.progress.ratePerSec.toFixed(p.progress.ratePerSec < 10 ? 1 : 0)} items/s`);
    parts.push(p.progress.etaMs === null ? "ETA –" : `ETA ${formatMs(p.progress.etaMs)}`);
    const busy = p.progress.lanes.filter((l) => l.state === "busy").length;
    parts.push(`${busy}/${p.progress.lanes.length} workers busy`);
  }
  if (waiting > 0) parts.push(`${formatCount(waiting)} task${waiting === 1 ? "" : "s"} queued`);
  return parts.join(" · ");
}
