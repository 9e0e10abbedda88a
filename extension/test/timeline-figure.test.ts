import type { BarData } from "plotly.js-dist-min";
import { describe, expect, it } from "vitest";
import { ERROR_COLOUR, callColour } from "lanes/dist/wire/colours";
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
