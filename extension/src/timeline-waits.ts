import type { Data } from "plotly.js-dist-min";
import { DEPTH_COLOUR, LOCK_WAIT_COLOUR, OTHER_WAIT_COLOUR } from "lanes/dist/wire/colours";
import { formatCount, formatMs } from "lanes/dist/wire/format";
import { KERNEL_LANE, type TimelinePayloadV1, type WaitV1 } from "lanes/dist/wire/mime";
import { LOCK_WAIT_LABEL, OTHER_WAIT_LABEL, trackLabel, waitCount } from "lanes/dist/wire/timeline-labels";
import { decodeTracks, decodeWaits, type DepthSamples } from "lanes/dist/wire/wait-codec";
import { waitMarks, type WaitMark } from "lanes/dist/wire/wait-marks";
import { plotlyText } from "./plotly-text";

/** The payload's waits and depth tracks (optional fields added after v1: older payloads have none). */
export interface Extras {
  waits: WaitV1[];
  /** Lane index of the kernel's own waits (one lane below the workers), or -1 when it has none. */
  kernelLane: number;
  tracks: DepthSamples[];
}

export function readExtras(p: TimelinePayloadV1, workerLanes: number): Extras {
  const waits = decodeWaits(p.waits);
  const kernelLane = waits.some((w) => w.lane === KERNEL_LANE) ? workerLanes : -1;
  return { waits, kernelLane, tracks: decodeTracks(p) };
}

/** Marks for the visible range (and half of it either side, for panning): see lanes' wire/wait-marks. */
export function visibleWaitMarks(extras: Extras, range: readonly [number, number], pixelMs: number): WaitMark[] {
  const span = range[1] - range[0];
  return waitMarks(extras.waits, (lane) => (lane === KERNEL_LANE ? extras.kernelLane : lane), pixelMs, range[0] - span / 2, range[1] + span / 2);
}

function markHover(m: WaitMark): string {
  const head = m.waits === 1 ? `<b>waited ${formatMs(m.total)}</b> on ${plotlyText(m.on)}` : `<b>${waitCount(m.waits)}</b>, ${formatMs(m.total)} in all (first on ${plotlyText(m.on)})`;
  return `${head}<br>${formatMs(m.start)} → ${formatMs(m.end)}<br>${m.lock ? LOCK_WAIT_LABEL : OTHER_WAIT_LABEL}`;
}

/** One bar trace per kind of wait, thin, in the lower part of each lane (over the batch bars). */
export function waitTraces(marks: readonly WaitMark[], pixelMs: number): Data[] {
  const out: Data[] = [];
  for (const lock of [false, true]) {
    const ms = marks.filter((m) => m.lock === lock);
    if (ms.length === 0) continue;
    out.push({
      type: "bar",
      orientation: "h",
      name: lock ? LOCK_WAIT_LABEL : OTHER_WAIT_LABEL,
      // The y axis is reversed: +0.24 is the bottom of the lane.
      y: ms.map((m) => m.lane + 0.24),
      base: ms.map((m) => m.start),
      x: ms.map((m) => Math.max(m.end - m.start, pixelMs)),
      width: 0.24,
      hovertext: ms.map(markHover),
      hoverinfo: "text",
      marker: { color: lock ? LOCK_WAIT_COLOUR : OTHER_WAIT_COLOUR, line: { width: 0 } },
    });
  }
  return out;
}

/** A step line per depth track, each on its own y axis (`y2`, `y3` …) below the lanes. */
export function trackTraces(tracks: readonly DepthSamples[], end: number): Data[] {
  return tracks.map((t, k): Data => {
    const x = [...t.times];
    const y = [...t.depths];
    // Hold the last depth to the end of the axis.
    if (x.length > 0 && x[x.length - 1]! < end) {
      x.push(end);
      y.push(y[y.length - 1]!);
    }
    return {
      type: "scatter",
      mode: "lines",
      name: plotlyText(trackLabel(t)),
      x,
      y,
      yaxis: `y${k + 2}`,
      line: { shape: "hv", color: DEPTH_COLOUR, width: 1.5 },
      hovertemplate: `${plotlyText(t.name)}: %{y} at %{x:.1f} ms<extra></extra>`,
    };
  });
}

/** The y axis text of a track: its name and peak. */
export function trackTitle(t: DepthSamples): string {
  return `${t.name.length > 14 ? `${t.name.slice(0, 13)}…` : t.name} · peak ${formatCount(t.peak)}`;
}
