/**
 * A static SVG Gantt chart of a timeline: one lane per worker, one bar per batch (span). Batches
 * closer than a pixel are merged into one bar, so the picture stays a few kilobytes however many spans there
 * are (10^5 spans would otherwise be megabytes of `<rect>`s in the saved notebook).
 */
import { CANCELLED_COLOUR, callColour, DEPTH_COLOUR, ERROR_COLOUR, LOCK_WAIT_COLOUR, OTHER_WAIT_COLOUR } from "../wire/colours";
import { escapeHtml } from "./escape";
import { formatCount, formatItems, formatMs } from "../wire/format";
import { barsText, batchCount, isProcessTimeline, KERNEL_LANE_LABEL, shortLabel, trackLabel, waitCount, workerLabel } from "../wire/timeline-labels";
import { KERNEL_LANE, type SpanOutcome, type SpanV1, type TimelinePayloadV1 } from "../wire/mime";
import { decodeTracks, decodeWaits, type DepthSamples } from "../wire/wait-codec";
import { waitMarks, type WaitMark } from "../wire/wait-marks";

const WIDTH = 720;
/** Width of the lane labels' column: `worker 12` fits; a cluster's `host:pid/threadId` widens it up to `MAX_LABEL`. */
const MIN_LABEL = 80;
const MAX_LABEL = 200;
/** About how wide a character of the 11 px label font is, to fit labels in their column. */
const CHAR_PX = 6.2;
const LANE = 18;
const GAP = 4;
const AXIS = 22;
/** Wait marks: the lower part of a lane, over the batch bars (a waiting batch is still running). */
const WAIT_H = 7;
const TRACK = 40;

interface Bar {
  call: number;
  outcome: SpanOutcome;
  start: number;
  end: number;
  first: number;
  last: number;
  /** Spans merged into this bar. */
  batches: number;
  /** Name of the first error among the merged batches. */
  error?: string | undefined;
  /** A Process's exit code (Process timelines: one span a lane, never merged). */
  exitCode?: number | undefined;
}

function colour(bar: Bar): string {
  if (bar.outcome === "error") return ERROR_COLOUR;
  if (bar.outcome === "cancelled") return CANCELLED_COLOUR;
  return callColour(bar.call);
}

/** A "nice" tick step (1, 2 or 5 × 10^k) giving about `count` ticks over `span`. */
function tickStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * power;
}

/** The Gantt chart as an `<svg>` element string; every user string is escaped. */
export function timelineSvg(p: TimelinePayloadV1, spans: readonly SpanV1[]): string {
  let end = p.summary.wallMs;
  for (const s of spans) end = Math.max(end, s.finished ?? s.started ?? 0, s.queued);
  const waits = decodeWaits(p.waits);
  const tracks = decodeTracks(p);
  for (const w of waits) end = Math.max(end, w.end);
  const workerLanes = Math.max(p.workers, ...spans.map((s) => s.worker + 1), ...waits.map((w) => w.lane + 1), 1);
  // The kernel thread's own waits get a lane of their own, below the workers.
  const kernelLane = waits.some((w) => w.lane === KERNEL_LANE) ? workerLanes : -1;
  const lanes = workerLanes + (kernelLane >= 0 ? 1 : 0);
  const names = Array.from({ length: lanes }, (_, w) => (w === kernelLane ? KERNEL_LANE_LABEL : workerLabel(w, p.laneLabels)));
  const left = labelColumn(names);
  const fits = Math.floor((left - 4) / CHAR_PX);
  const plot = WIDTH - left - 8;
  const scale = end > 0 ? plot / end : 0;
  const pixel = end > 0 ? end / plot : 1;
  // Per lane, batches in start order, merged while the gap between them is under a pixel.
  const byLane: Bar[][] = Array.from({ length: lanes }, () => []);
  const started = spans.filter((s) => s.worker >= 0 && s.started !== undefined).sort((a, b) => a.started! - b.started!);
  for (const s of started) {
    const bars = byLane[s.worker]!;
    const bar: Bar = { call: s.call, outcome: s.outcome, start: s.started!, end: s.finished ?? end, first: s.items[0], last: s.items[1], batches: 1, error: s.error, exitCode: s.exitCode };
    const prev = bars[bars.length - 1];
    if (prev && prev.call === bar.call && prev.outcome === bar.outcome && bar.start - prev.end < pixel) {
      prev.end = Math.max(prev.end, bar.end);
      prev.first = Math.min(prev.first, bar.first);
      prev.last = Math.max(prev.last, bar.last);
      prev.batches++;
      prev.error ??= bar.error;
    } else bars.push(bar);
  }
  const marks: WaitMark[][] = Array.from({ length: lanes }, () => []);
  for (const m of waitMarks(waits, (lane) => (lane === KERNEL_LANE ? kernelLane : lane < lanes ? lane : -1), pixel)) marks[m.lane]?.push(m);
  const tracksTop = lanes * (LANE + GAP);
  const height = tracksTop + tracks.length * (TRACK + GAP) + AXIS;
  const parts: string[] = [];
  const label = `Timeline of ${barsText(p, spans.length)} over ${formatMs(end)}`;
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(label)}" style="font:11px sans-serif">`,
    `<title>${escapeHtml(label)}</title>`,
  );
  byLane.forEach((bars, w) => {
    const y = w * (LANE + GAP);
    const name = names[w] ?? workerLabel(w);
    const shown = shortLabel(name, fits);
    // A cut label keeps its whole text as a tooltip.
    const full = shown === name ? "" : `<title>${escapeHtml(name)}</title>`;
    parts.push(`<text x="0" y="${y + LANE - 5}" fill="#555">${full}${escapeHtml(shown)}</text>`);
    parts.push(`<rect x="${left}" y="${y}" width="${plot}" height="${LANE}" fill="#f3f3f3"/>`);
    for (const bar of bars) {
      const x = left + bar.start * scale;
      const width = Math.max(1, (bar.end - bar.start) * scale);
      const items = formatItems(bar.first, bar.last);
      const outcome = bar.error !== undefined ? `${bar.outcome}: ${bar.error}` : bar.outcome;
      const exit = bar.exitCode !== undefined ? `, exit code ${bar.exitCode}` : "";
      // On a cluster, say where the batch ran: the lane's label may be cut. A Process's lane is its name.
      const where = p.laneLabels !== undefined && w !== kernelLane && !isProcessTimeline(p) ? ` on ${name}` : "";
      // A Process is one bar of one "item": its name, times and exit code say it all.
      const what = isProcessTimeline(p) ? "" : `${items}, ${batchCount(bar.batches)}, `;
      const tip = `${p.calls[bar.call] ?? `call ${bar.call}`}: ${what}${formatMs(bar.start)} → ${formatMs(bar.end)} (${outcome}${exit})${where}`;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${LANE}" fill="${colour(bar)}"${bar.outcome === "running" ? ' fill-opacity="0.5"' : ""}><title>${escapeHtml(tip)}</title></rect>`,
      );
    }
    for (const m of marks[w] ?? []) {
      const x = left + m.start * scale;
      const width = Math.max(1, (m.end - m.start) * scale);
      const what = m.waits === 1 ? `waited ${formatMs(m.total)} on ${m.on}` : `${waitCount(m.waits)}, ${formatMs(m.total)} in all (first on ${m.on})`;
      const tip = `${what}: ${formatMs(m.start)} → ${formatMs(m.end)}`;
      parts.push(
        `<rect class="lanes-wait" x="${x.toFixed(1)}" y="${y + LANE - WAIT_H}" width="${width.toFixed(1)}" height="${WAIT_H}" fill="${m.lock ? LOCK_WAIT_COLOUR : OTHER_WAIT_COLOUR}"><title>${escapeHtml(tip)}</title></rect>`,
      );
    }
  });
  tracks.forEach((track, k) => parts.push(trackSvg(track, tracksTop + k * (TRACK + GAP), left, scale, end, plot)));
  const axisY = tracksTop + tracks.length * (TRACK + GAP);
  if (end > 0) {
    const step = tickStep(end, 6);
    for (let t = 0; t <= end + step / 1000; t += step) {
      const x = left + t * scale;
      parts.push(`<line x1="${x.toFixed(1)}" y1="${axisY}" x2="${x.toFixed(1)}" y2="${axisY + 4}" stroke="#999"/>`);
      parts.push(`<text x="${x.toFixed(1)}" y="${axisY + 16}" fill="#555" text-anchor="middle">${escapeHtml(formatMs(t))}</text>`);
    }
  }
  parts.push("</svg>");
  return parts.join("");
}

/** The width of the lane labels' column: the longest label, between `MIN_LABEL` and `MAX_LABEL`. */
function labelColumn(names: readonly string[]): number {
  const longest = Math.max(0, ...names.map((n) => n.length));
  return Math.round(Math.min(MAX_LABEL, Math.max(MIN_LABEL, longest * CHAR_PX + 8)));
}

/**
 * A queue's depth as a step line in a band of its own. Samples closer than a pixel are merged into
 * their highest depth, so a long track stays a short path and a brief peak still shows.
 */
function trackSvg(track: DepthSamples, y: number, left: number, scale: number, end: number, plot: number): string {
  const peak = Math.max(1, track.maxsize, track.peak);
  const yOf = (d: number) => (y + TRACK - 2 - (d / peak) * (TRACK - 6)).toFixed(1);
  const points: [number, number][] = [];
  track.times.forEach((t, i) => {
    const x = left + Math.min(t, end) * scale;
    const d = track.depths[i] ?? 0;
    const last = points[points.length - 1];
    if (last && x - last[0] < 1) last[1] = Math.max(last[1], d);
    else points.push([x, d]);
  });
  let path = "";
  points.forEach(([x, d], i) => {
    path += i === 0 ? `M${x.toFixed(1)},${yOf(d)}` : `H${x.toFixed(1)}V${yOf(d)}`;
  });
  if (points.length > 0) path += `H${(left + plot).toFixed(1)}`;
  const label = trackLabel(track);
  const tip = `${label}: peak ${formatCount(track.peak)}, sampled every ${formatMs(track.everyMs)}`;
  return (
    `<g class="lanes-depth"><title>${escapeHtml(tip)}</title>` +
    `<text x="0" y="${y + 14}" fill="#555">${escapeHtml(track.name.length > 12 ? `${track.name.slice(0, 11)}…` : track.name)}</text>` +
    `<text x="0" y="${y + 28}" fill="#888">peak ${escapeHtml(formatCount(track.peak))}</text>` +
    `<rect x="${left}" y="${y}" width="${plot}" height="${TRACK}" fill="#f8f8f8"/>` +
    `<path d="${path}" fill="none" stroke="${DEPTH_COLOUR}" stroke-width="1.5"/></g>`
  );
}

/** The colour of each call's bars, for a legend. */
export function callColours(calls: readonly string[]): { name: string; colour: string }[] {
  return calls.map((name, i) => ({ name, colour: callColour(i) }));
}
