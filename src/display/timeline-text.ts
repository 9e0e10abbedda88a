/** The `text/plain` fallback of a timeline: a few lines a terminal or a plain front end can show. */
import { formatCount, formatItems } from "../wire/format";
import { decodeTracks } from "../wire/wait-codec";
import { bar, progressLine } from "./progress-line";
import { barsText, busyShare, doneText, figureText, isProcessTimeline, summaryFigures, TIMELINE_NAME, titleCalls, trackLabel, workerLabel } from "../wire/timeline-labels";
import type { TimelinePayloadV1 } from "../wire/mime";

export function timelineText(p: TimelinePayloadV1): string {
  const callText = titleCalls(p);
  const s = p.summary;
  const lines = [`${TIMELINE_NAME}${callText ? ` · ${callText}` : ""} · ${barsText(p, p.spans.count + p.omittedSpans)} · ${doneText(p)}`];
  // A rate and an ETA of Processes would be noise: they are not items of one call.
  if (p.live && p.progress && !isProcessTimeline(p)) lines.push(progressLine(p.done, p.total, p.progress.ratePerSec, p.progress.etaMs));
  lines.push(summaryFigures(p).map(figureText).join(" · "));
  // Labels padded to the longest, so the bars line up.
  const width = Math.max(0, ...s.busy.map((_, w) => workerLabel(w, p.laneLabels).length));
  s.busy.forEach((b, w) => {
    const lane = p.progress?.lanes[w];
    const doing = lane?.state === "busy" && lane.items ? (isProcessTimeline(p) ? "  running" : `  running ${formatItems(lane.items[0], lane.items[1])}`) : "";
    lines.push(`${workerLabel(w, p.laneLabels).padEnd(width)} ${bar(b, 20)} ${busyShare(b).padStart(9)}${doing}`);
  });
  for (const track of decodeTracks(p)) {
    lines.push(`${trackLabel(track)}: peak ${formatCount(track.peak)}, last ${formatCount(track.depths[track.depths.length - 1] ?? 0)}`);
  }
  return lines.join("\n");
}
