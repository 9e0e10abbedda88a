/** The `text/plain` fallback of a timeline: a few lines a terminal or a plain front end can show. */
import { formatCount, formatDone, formatItems, formatMs, formatPercent } from "./format";
import { bar, progressLine } from "./progress-line";
import type { TimelinePayloadV1 } from "./wire";

/** Longest call list printed before "…" (call names are user strings of any length). */
const MAX_NAMES = 3;

export function timelineText(p: TimelinePayloadV1): string {
  const names = p.calls.slice(0, MAX_NAMES).map((n) => (n.length > 40 ? n.slice(0, 39) + "…" : n));
  const callText = names.join(", ") + (p.calls.length > MAX_NAMES ? `, … (${p.calls.length} calls)` : "");
  const tasks = p.spans.count + p.omittedSpans;
  const s = p.summary;
  const lines = [`Lanes timeline${callText ? ` · ${callText}` : ""} · ${formatCount(tasks)} tasks on ${p.workers} workers · ${formatDone(p.done, p.total)}`];
  if (p.live && p.progress) lines.push(progressLine(p.done, p.total, p.progress.ratePerSec, p.progress.etaMs));
  lines.push(
    `wall ${formatMs(s.wallMs)} · parallelism ${s.parallelism.toFixed(2)}× · speedup ${s.speedup.toFixed(2)}× · ` +
      `serial ≈ ${formatMs(s.serialEstimateMs)} · queue wait (all tasks) ${formatMs(s.queueWaitMs)}` +
      (s.errors > 0 ? ` · ${formatCount(s.errors)} failed` : ""),
  );
  s.busy.forEach((b, w) => {
    const lane = p.progress?.lanes[w];
    const doing = lane?.state === "busy" && lane.items ? `  running ${formatItems(lane.items[0], lane.items[1])}` : "";
    lines.push(`worker ${String(w).padStart(2)} ${bar(b, 20)} ${formatPercent(b).padStart(4)} busy${doing}`);
  });
  return lines.join("\n");
}
