/**
 * The `text/html` fallback of a timeline: static markup, no script, inline styles only, so GitHub,
 * nbviewer, VS Code and the classic Notebook show it without the Lanes extension.
 */
import { escapeHtml } from "./escape";
import { formatCount, formatDone, formatItems, formatMs, formatPercent } from "../wire/format";
import { barMeaning, barsText, doneText, isProcessTimeline, LOCK_WAIT_LABEL, moreCalls, OTHER_WAIT_LABEL, SUMMARY_LABELS, summaryFigures, TIMELINE_NAME, WAIT_MEANING, workerLabel } from "../wire/timeline-labels";
import { LOCK_WAIT_COLOUR, OTHER_WAIT_COLOUR } from "../wire/colours";
import { decodeWaits, isLockKind } from "../wire/wait-codec";
import { callColours, timelineSvg } from "./timeline-svg";
import type { SpanV1, TimelinePayloadV1 } from "../wire/mime";

/** Calls in the legend before "and N more calls": a legend is the colour key, so it lists more than a title. */
const LEGEND_CALLS = 10;

function progressHtml(p: TimelinePayloadV1): string {
  // Processes are not items of one call: a rate or an ETA of them would be noise; their bars show what runs.
  if (!p.live || !p.progress || isProcessTimeline(p)) return "";
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const eta = p.progress.etaMs !== null ? ` · ETA ${escapeHtml(formatMs(p.progress.etaMs))}` : "";
  const lanes = p.progress.lanes
    .map((l) =>
      l.state === "busy" && l.items
        ? `<li>${escapeHtml(workerLabel(l.worker, p.laneLabels))}: ${formatItems(l.items[0], l.items[1])} for ${escapeHtml(formatMs(l.forMs ?? 0))}</li>`
        : `<li>${escapeHtml(workerLabel(l.worker, p.laneLabels))}: idle</li>`,
    )
    .join("");
  return (
    `<div style="width:400px;height:10px;background:#eee;border-radius:3px;overflow:hidden">` +
    `<div style="width:${(fraction * 100).toFixed(1)}%;height:100%;background:#4c78a8"></div></div>` +
    `<p style="margin:4px 0">${formatDone(p.done, p.total)} · ${formatCount(p.progress.ratePerSec)} items/s${eta}</p>` +
    `<ul style="margin:0 0 6px 0;padding-left:18px">${lanes}</ul>`
  );
}

function summaryHtml(p: TimelinePayloadV1): string {
  const cells: [string, string][] = summaryFigures(p).map((f) => [f.label, f.value]);
  // One row for every worker's share: a row per worker would make many workers a long table.
  cells.push([SUMMARY_LABELS.busy, p.summary.busy.map((b, w) => `${workerLabel(w, p.laneLabels)} ${formatPercent(b)}`).join(" · ")]);
  const rows = cells.map(([k, v]) => `<tr><th style="text-align:left;padding-right:8px">${escapeHtml(k)}</th><td style="text-align:left">${escapeHtml(v)}</td></tr>`);
  return `<table style="font-size:12px;margin:4px 0">${rows.join("")}</table>`;
}

const swatch = (colour: string, label: string) =>
  `<span style="margin-right:10px"><span style="display:inline-block;width:10px;height:10px;background:${colour}"></span> ${label}</span>`;

function legendHtml(p: TimelinePayloadV1): string {
  const waits = decodeWaits(p.waits);
  if (p.calls.length === 0 && waits.length === 0) return "";
  const items = callColours(p.calls.slice(0, LEGEND_CALLS)).map(({ name, colour }) => swatch(colour, `<code>${escapeHtml(name)}</code>`));
  if (p.calls.length > LEGEND_CALLS) items.push(`<span>${escapeHtml(moreCalls(p.calls.length - LEGEND_CALLS))}</span>`);
  if (waits.some((w) => isLockKind(w.kind))) items.push(swatch(LOCK_WAIT_COLOUR, escapeHtml(LOCK_WAIT_LABEL)));
  if (waits.some((w) => !isLockKind(w.kind))) items.push(swatch(OTHER_WAIT_COLOUR, escapeHtml(OTHER_WAIT_LABEL)));
  return `<div style="font-size:12px;margin:4px 0">${items.join("")}</div>`;
}

/** Static HTML for a timeline payload, given its decoded spans. */
export function timelineHtml(p: TimelinePayloadV1, spans: readonly SpanV1[]): string {
  const omitted = p.omittedSpans > 0 ? ` (the oldest ${formatCount(p.omittedSpans)} not drawn while running)` : "";
  const head =
    `<p style="margin:2px 0"><strong>${TIMELINE_NAME}</strong> · ${escapeHtml(barsText(p, p.spans.count + p.omittedSpans))} · ` +
    `${escapeHtml(doneText(p))}${p.live ? " · running" : ""}${escapeHtml(omitted)}</p>`;
  const meaning = p.waits !== undefined && p.waits.count > 0 ? `${barMeaning(p)} ${WAIT_MEANING}` : barMeaning(p);
  const caption = `<p style="margin:2px 0;font-size:11px;color:#555">${escapeHtml(meaning)}</p>`;
  return `<div class="lanes-timeline">${head}${progressHtml(p)}${summaryHtml(p)}${legendHtml(p)}${timelineSvg(p, spans)}${caption}</div>`;
}
