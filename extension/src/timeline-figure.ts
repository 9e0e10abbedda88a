import type { Config, Data, Layout } from "plotly.js-dist-min";
import { CANCELLED_COLOUR, ERROR_COLOUR, callColour } from "lanes/dist/wire/colours";
import { busyShare, KERNEL_LANE_LABEL, shortLabel, timeAxisTitle, workerLabel } from "lanes/dist/wire/timeline-labels";
import type { TimelinePayloadV1 } from "lanes/dist/wire/mime";
import { plotlyText } from "./plotly-text";
import type { Theme } from "./theme";
import type { Bar } from "./timeline-bars";
import { hoverText } from "./timeline-hover";
import type { BarKind } from "./timeline-lanes";
import { trackTitle, trackTraces, visibleWaitMarks, waitTraces, type Extras } from "./timeline-waits";

const LANE_PX = 26;
const TRACK_PX = 60;
const MARGIN = { l: 110, r: 16, t: 8, b: 40 };
/** The widest left margin a cluster's lane labels (`host:pid/threadId · 93% busy`) may take. */
const MAX_MARGIN_L = 260;
/** About how wide a tick label's character is (11 px font), to size the margin to the labels. */
const TICK_CHAR_PX = 6;
/** Longest lane label on a tick before it is cut in the middle (the hover has it whole). */
const TICK_LABEL_CHARS = 32;
const SEPARATED_UP_TO = 600;

export interface FigureInput {
  payload: TimelinePayloadV1;
  lanes: number;
  bars: readonly Bar[];
  theme: Theme;
  widthPx: number;
  /** Visible x range; `undefined`: everything (autorange). */
  range: readonly [number, number] | undefined;
  /** Where the x axis ends when showing everything. */
  end: number;
  /** Waits and depth tracks; `lanes` counts the kernel's lane when it has one. */
  extras?: Extras | undefined;
}

export interface Figure {
  data: Data[];
  /** Wait marks drawn (after merging). */
  waitMarks: number;
  layout: Partial<Layout>;
  config: Partial<Config>;
}

const KIND_LABEL: Record<BarKind, string> = { ok: "", error: " · failed", cancelled: " · cancelled", running: " · running" };

function colour(call: number, kind: BarKind): string {
  return kind === "error" ? ERROR_COLOUR : kind === "cancelled" ? CANCELLED_COLOUR : callColour(call);
}

/** Bars grouped into one plotly trace per (call, kind): one colour per trace, failures on top. */
function traces(input: FigureInput, pixelMs: number): Data[] {
  const groups = new Map<string, Bar[]>();
  for (const bar of input.bars) {
    const key = `${bar.call}:${bar.kind}`;
    const group = groups.get(key);
    if (group) group.push(bar);
    else groups.set(key, [bar]);
  }
  const keys = [...groups.keys()].sort((a, b) => {
    // Failures last, so they draw on top of anything they overlap.
    const ea = a.endsWith(":error") ? 1 : 0;
    const eb = b.endsWith(":error") ? 1 : 0;
    return ea - eb || a.localeCompare(b);
  });
  return keys.map((key): Data => {
    const bars = groups.get(key)!;
    const { call, kind } = bars[0]!;
    // Failures stay at least 3 px wide and everything else at least 1 px: a bar that is there
    // must be seen.
    const minWidth = (kind === "error" ? 3 : 1) * pixelMs;
    return {
      type: "bar",
      orientation: "h",
      name: plotlyText(input.payload.calls[call] ?? `call ${call}`) + KIND_LABEL[kind],
      legendgroup: String(call),
      y: bars.map((b) => b.lane),
      base: bars.map((b) => b.start),
      x: bars.map((b) => Math.max(b.end - b.start, minWidth)),
      width: 0.72,
      hovertext: bars.map((b) => hoverText(b, input.payload.calls, input.payload.laneLabels, input.payload.kind)),
      hoverinfo: "text",
      opacity: kind === "running" ? 0.55 : 1,
      marker: {
        color: colour(call, kind),
        // Back-to-back batches would read as one long bar: a hairline in the background colour
        // separates them, as long as bars are few enough to be told apart at all.
        line: kind === "error" ? { color: input.theme.text, width: 1 } : { color: input.theme.plot, width: input.bars.length <= SEPARATED_UP_TO ? 1 : 0 },
      },
    };
  });
}

/** A lane's tick label: its name (cut), and its busy share when known. */
function tickText(p: TimelinePayloadV1, lane: number): string {
  const name = shortLabel(workerLabel(lane, p.laneLabels), TICK_LABEL_CHARS);
  const share = p.summary.busy[lane];
  return share !== undefined ? `${name} · ${busyShare(share)}` : name;
}

/**
 * The plot's margins: the usual ones for `worker N` lanes; on a cluster the left margin widens to
 * its lanes' `host:pid/threadId` labels (up to `MAX_MARGIN_L`), so they are not cut off.
 */
export function figureMargin(p: TimelinePayloadV1): typeof MARGIN {
  const labels = p.laneLabels;
  if (labels === undefined || labels.length === 0) return MARGIN;
  const longest = Math.max(0, ...labels.map((_, w) => tickText(p, w).length));
  return { ...MARGIN, l: Math.min(MAX_MARGIN_L, Math.max(MARGIN.l, Math.ceil(longest * TICK_CHAR_PX + 12))) };
}

/** The plotly figure of a timeline: a Gantt chart with one lane per worker. */
export function timelineFigure(input: FigureInput): Figure {
  const { theme, lanes } = input;
  const shown = input.range ?? [0, input.end];
  const margin = figureMargin(input.payload);
  const plotWidth = Math.max(input.widthPx - margin.l - margin.r, 50);
  const pixelMs = Math.max(shown[1] - shown[0], 1e-9) / plotWidth;
  const data = traces(input, pixelMs);
  const extras = input.extras;
  const marks = extras ? visibleWaitMarks(extras, shown, pixelMs) : [];
  data.push(...waitTraces(marks, pixelMs));
  const tracks = extras?.tracks ?? [];
  data.push(...trackTraces(tracks, input.end));
  const laneIndex = Array.from({ length: lanes }, (_, w) => w);
  const lanesPx = lanes * LANE_PX;
  const plotPx = lanesPx + tracks.length * TRACK_PX;
  // Lanes on top, a band per depth track below them (plot fractions, bottom = 0).
  const laneBottom = tracks.length > 0 ? (tracks.length * TRACK_PX) / plotPx : 0;
  const trackAxes: Record<string, unknown> = {};
  tracks.forEach((t, k) => {
    const top = laneBottom - (k * TRACK_PX) / plotPx;
    const bottom = laneBottom - ((k + 1) * TRACK_PX) / plotPx;
    trackAxes[`yaxis${k + 2}`] = {
      domain: [bottom + 8 / plotPx, top - 6 / plotPx],
      fixedrange: true,
      rangemode: "tozero",
      range: [0, Math.max(1, t.maxsize, t.peak) * 1.05],
      title: { text: plotlyText(trackTitle(t)), font: { color: theme.muted, size: 10 } },
      tickfont: { color: theme.muted, size: 9 },
      nticks: 3,
      gridcolor: theme.grid,
      linecolor: theme.grid,
      zeroline: false,
    };
  });
  const layout: Partial<Layout> = {
    width: Math.max(input.widthPx, 200),
    height: MARGIN.t + MARGIN.b + plotPx,
    margin,
    barmode: "overlay",
    bargap: 0,
    // The legend is drawn in the page (timeline-legend.ts).
    showlegend: false,
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: theme.plot,
    font: { family: theme.font, color: theme.text, size: 11 },
    hovermode: "closest",
    hoverlabel: { bgcolor: theme.hoverBackground, bordercolor: theme.hoverBorder, font: { color: theme.text, family: theme.font } },
    dragmode: "zoom",
    xaxis: {
      title: { text: timeAxisTitle(input.payload), font: { color: theme.muted } },
      range: [shown[0], Math.max(shown[1], shown[0] + 1e-3)],
      autorange: false,
      // Below the depth tracks, when there are any (anchored to the lanes, it would cut through them).
      ...(tracks.length > 0 ? { anchor: "free" as const, position: 0 } : {}),
      gridcolor: theme.grid,
      linecolor: theme.grid,
      zeroline: false,
      tickfont: { color: theme.muted },
    },
    yaxis: {
      // Zoom and pan along time only: lanes stay readable.
      fixedrange: true,
      autorange: "reversed",
      tickvals: laneIndex,
      domain: [laneBottom, 1],
      ticktext: laneIndex.map((w) => (w === extras?.kernelLane ? KERNEL_LANE_LABEL : plotlyText(tickText(input.payload, w)))),
      tickfont: { color: theme.muted },
      gridcolor: "rgba(0,0,0,0)",
      linecolor: theme.grid,
      range: [lanes - 0.5, -0.5],
    },
    ...trackAxes,
  };
  const config: Partial<Config> = {
    displaylogo: false,
    responsive: false,
    scrollZoom: false,
    // The renderer owns the x range (it re-merges bars per zoom level): it handles double-click itself.
    doubleClick: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "resetScale2d", "toImage"],
  };
  return { data, layout, config, waitMarks: marks.length };
}
