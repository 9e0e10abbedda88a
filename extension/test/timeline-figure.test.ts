import type { BarData, ScatterData } from "plotly.js-dist-min";
import { describe, expect, it } from "vitest";
import { ERROR_COLOUR, LOCK_WAIT_COLOUR, OTHER_WAIT_COLOUR, callColour } from "lanes/dist/wire/colours";
import { KERNEL_LANE } from "lanes/dist/wire/mime";
import { encodeTrack, encodeWaits } from "lanes/dist/wire/wait-codec";
import { readExtras } from "../src/timeline-waits";
import type { Theme } from "../src/theme";
import { barsFor } from "../src/timeline-bars";
import { timelineFigure } from "../src/timeline-figure";
import { toLanes } from "../src/timeline-lanes";
import { XSS, timelinePayload } from "./fixtures";

const light: Theme = { dark: false, text: "#111111", muted: "#555555", grid: "#dddddd", plot: "#ffffff", hoverBackground: "#ffffff", hoverBorder: "#cccccc", font: "sans-serif" };
const dark: Theme = { ...light, dark: true, text: "#eeeeee", plot: "#222222" };

function figure(theme = light) {
  const p = timelinePayload(
    [
      { worker: 0, call: 0, started: 0, finished: 4, items: [0, 4] },
      { worker: 1, call: 0, queued: 0, started: 1, finished: 5, items: [4, 8], outcome: 1, error: XSS },
      { worker: 0, call: 1, started: 5, finished: 9, items: [0, 3] },
    ],
    { calls: ["double", XSS] },
  );
  const model = toLanes(p);
  const bars = barsFor(model.lanes, { range: [0, model.end], widthPx: 800 });
  return timelineFigure({ payload: p, lanes: model.lanes.length, bars, theme, widthPx: 900, range: undefined, end: model.end });
}

describe("timelineFigure", () => {
  it("draws one horizontal bar trace per call and outcome, a lane per worker", () => {
    const { data, layout } = figure();
    const traces = data as BarData[];
    expect(traces.map((t) => [t.type, t.orientation, t.y])).toEqual([
      ["bar", "h", [0]],
      ["bar", "h", [0]],
      ["bar", "h", [1]],
    ]);
    expect(layout.yaxis?.tickvals).toEqual([0, 1]);
    expect(layout.yaxis?.ticktext).toEqual(["worker 0 · 50% busy", "worker 1 · 50% busy"]);
    expect(layout.yaxis?.fixedrange).toBe(true);
    expect(layout.xaxis?.range).toEqual([0, 9]);
  });

  it("colours by call and makes failures stand out, drawn last (on top)", () => {
    const traces = figure().data as BarData[];
    expect(traces.map((t) => t.marker?.color)).toEqual([callColour(0), callColour(1), ERROR_COLOUR]);
    expect(traces[2]!.marker?.line?.width).toBe(1);
    expect(traces[2]!.name).toBe("double · failed");
  });

  it("escapes every payload string plotly would read as markup", () => {
    const traces = figure().data as BarData[];
    const texts = traces.flatMap((t) => [t.name ?? "", ...((t.hovertext as string[] | undefined) ?? [])]);
    expect(texts.join("\n")).not.toContain("<img");
    expect(texts.join("\n")).not.toContain("<b>bold");
    expect(traces[1]!.name).toBe("&lt;img src=x onerror=\"globalThis.__lanesXss = 1\"&gt;&lt;b&gt;bold&lt;/b&gt;&amp;amp;");
    const failed = (traces[2]!.hovertext as string[])[0]!;
    expect(failed).toContain("error: &lt;img");
    expect(failed).toContain("items 4–7 (4 items)");
    expect(failed).toContain("queue wait 1.0 ms");
    expect(failed).toContain("duration 4.0 ms: 1.0 ms → 5.0 ms");
  });

  it("takes its colours from the theme", () => {
    const a = figure(light).layout;
    const b = figure(dark).layout;
    expect(a.font?.color).toBe("#111111");
    expect(b.font?.color).toBe("#eeeeee");
    expect(b.plot_bgcolor).toBe("#222222");
    expect(b.paper_bgcolor).toBe("rgba(0,0,0,0)");
  });
});

describe("timelineFigure with waits and depth tracks (payload fields added after v1)", () => {
  function withExtras() {
    const p = timelinePayload([{ worker: 0, call: 0, started: 0, finished: 10, items: [0, 4] }, { worker: 1, call: 0, started: 0, finished: 10, items: [4, 8] }], {
      waits: encodeWaits([
        { lane: 1, kind: "Lock", object: 3, start: 2, end: 6 },
        { lane: KERNEL_LANE, kind: "Event", object: 1, start: 1, end: 9 },
      ]),
      tracks: [encodeTrack("tasks", 5, 2, [[0, 0], [3, 5], [8, 1]])],
    });
    const model = toLanes(p);
    const extras = readExtras(p, model.lanes.length);
    const bars = barsFor(model.lanes, { range: [0, model.end], widthPx: 800 });
    return { extras, ...timelineFigure({ payload: p, lanes: model.lanes.length + 1, bars, theme: light, widthPx: 900, range: undefined, end: model.end, extras }) };
  }

  it("draws wait marks on their lanes (the kernel's on a lane of its own) and a step line per track on its own axis", () => {
    const { data, layout, waitMarks, extras } = withExtras();
    expect(extras.kernelLane).toBe(2);
    expect(waitMarks).toBe(2);
    const waits = (data as BarData[]).filter((t) => t.name === "waiting for a lock" || t.name === "waiting on a condition, event or barrier");
    expect(waits.map((t) => [t.name, t.y, t.marker?.color])).toEqual([
      ["waiting on a condition, event or barrier", [2.24], OTHER_WAIT_COLOUR],
      ["waiting for a lock", [1.24], LOCK_WAIT_COLOUR],
    ]);
    expect((waits[1]!.hovertext as string[])[0]).toContain("on Lock#3");
    const track = (data as ScatterData[]).find((t) => t.type === "scatter")!;
    expect([track.yaxis, track.line?.shape, track.y]).toEqual(["y2", "hv", [0, 5, 1, 1]]);
    expect(layout.yaxis?.ticktext).toEqual(["worker 0 · 50% busy", "worker 1 · 50% busy", "kernel"]);
    expect((layout as Record<string, { domain?: number[] }>).yaxis2?.domain?.[1]).toBeLessThan(layout.yaxis!.domain![0]);
  });

  it("an older payload has neither", () => {
    const { data } = figure();
    expect(data.every((t) => t.type === "bar" && !String(t.name).startsWith("waiting"))).toBe(true);
  });
});
