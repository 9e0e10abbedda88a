// @vitest-environment happy-dom
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { Widget } from "@lumino/widgets";
import type { Data, Layout } from "plotly.js-dist-min";
import { TIMELINE_MIME } from "lanes/dist/wire/mime";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PlotlyApi } from "../src/plotly-loader";
import { TimelineRenderer, timelineRendererFactory } from "../src/timeline";
import { XSS, mimeModel, timelinePayload } from "./fixtures";

/** Plotly stand-in: records every draw; the real plotly needs a real browser (see test/browser). */
function fakePlotly() {
  const draws: { node: HTMLElement; data: Data[]; layout: Partial<Layout> }[] = [];
  const handlers = new Map<string, (event: unknown) => void>();
  const api = {
    react: vi.fn((node: HTMLElement, data: Data[], layout: Partial<Layout>) => {
      draws.push({ node, data, layout });
      return Promise.resolve(Object.assign(node, { on: (name: string, fn: (event: unknown) => void) => handlers.set(name, fn) }));
    }),
    purge: vi.fn(),
  };
  return { api, draws, handlers, load: vi.fn(() => Promise.resolve(api as unknown as PlotlyApi)) };
}

const options = { mimeType: TIMELINE_MIME, sanitizer: {}, resolver: null, linkHandler: null, latexTypesetter: null } as unknown as IRenderMime.IRendererOptions;
const model = (payload: unknown) => mimeModel(TIMELINE_MIME, payload) as unknown as IRenderMime.IMimeModel;
const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));

const spans = [
  { worker: 0, started: 0, finished: 4 },
  { worker: 1, started: 1, finished: 5, outcome: 1, error: "RangeError" },
  { worker: 0, started: 5, finished: 9 },
];

describe("TimelineRenderer", () => {
  const widgets: Widget[] = [];
  afterEach(() => {
    for (const w of widgets.splice(0)) if (!w.isDisposed) w.dispose();
    document.body.removeAttribute("data-jp-theme-light");
  });

  function attached(plotly = fakePlotly()) {
    const renderer = new TimelineRenderer(options, { loadPlotly: plotly.load });
    widgets.push(renderer);
    Widget.attach(renderer, document.body);
    return { renderer, plotly };
  }

  it("is a safe renderer for the timeline MIME type", () => {
    expect(timelineRendererFactory.safe).toBe(true);
    expect(timelineRendererFactory.mimeTypes).toEqual([TIMELINE_MIME]);
  });

  it("loads plotly only when the first timeline renders", async () => {
    const { renderer, plotly } = attached();
    expect(plotly.load).not.toHaveBeenCalled();
    await renderer.renderModel(model(timelinePayload(spans)));
    expect(plotly.load).toHaveBeenCalledTimes(1);
    expect(plotly.draws.length).toBe(1);
    expect(renderer.node.dataset.lanesBars).toBe("3");
    expect(renderer.node.dataset.lanesLanes).toBe("2");
  });

  it("writes title and figures as text", async () => {
    const { renderer } = attached();
    await renderer.renderModel(model(timelinePayload(spans, { calls: [XSS] })));
    // Call names in the title are cut to 40 characters, as in the text fallback.
    expect(renderer.node.querySelector(".lanes-Title")!.textContent).toBe(`${XSS.slice(0, 39)}… · 3 batches · 6/6 items`);
    expect(renderer.node.querySelector(".lanes-Summary")!.textContent).toMatch(
      /^wall 9\.0 ms · parallelism 1\.00× · speedup 1\.00× · serial estimate 9\.0 ms · queue wait per batch 0\.00 ms · batches with errors 1 · (no idle gaps|\d+ idle gaps? .*)$/,
    );
    expect(renderer.node.querySelector("img, b")).toBeNull();
  });

  it("names a cluster's lanes by their host:pid/threadId on the y axis, in the hover and in the idle-gap figure", async () => {
    const { renderer, plotly } = attached();
    const labels = ["node-a:4242/1", "<i>node-b</i>:977/3"];
    await renderer.renderModel(model(timelinePayload(spans, { laneLabels: labels })));
    const layout = plotly.draws[0]!.layout;
    expect(layout.yaxis?.ticktext).toEqual(["node-a:4242/1 · 50% busy", "&lt;i&gt;node-b&lt;/i&gt;:977/3 · 50% busy"]);
    // The left margin widens to the labels (`worker N` lanes keep 110 px).
    expect(layout.margin?.l).toBeGreaterThan(110);
    const hovers = plotly.draws[0]!.data.flatMap((d) => (d as { hovertext?: string[] }).hovertext ?? []);
    expect(hovers.filter((h) => h.endsWith("<br>node-a:4242/1"))).toHaveLength(2);
    expect(hovers.filter((h) => h.endsWith("<br>&lt;i&gt;node-b&lt;/i&gt;:977/3"))).toHaveLength(1);
    expect(renderer.node.querySelector(".lanes-Summary")!.textContent).toMatch(/idle gaps? .* on (node-a:4242\/1|<i>node-b<\/i>:977\/3) at /);
    expect(renderer.node.querySelector("i")).toBeNull();
  });

  it("draws `worker N` lanes for a payload whose laneLabels is not a list (a hand-edited notebook)", async () => {
    const { renderer, plotly } = attached();
    await renderer.renderModel(model({ ...timelinePayload(spans), laneLabels: "node-a:1/1" }));
    expect(plotly.draws[0]!.layout.yaxis?.ticktext).toEqual(["worker 0 · 50% busy", "worker 1 · 50% busy"]);
    expect(plotly.draws[0]!.layout.margin?.l).toBe(110);
  });

  it("also reads the payload as JSON text (tslab's display.raw)", async () => {
    const { renderer, plotly } = attached();
    await renderer.renderModel(model(JSON.stringify(timelinePayload(spans))));
    expect(plotly.draws.length).toBe(1);
  });

  it("updates a live display in place: same nodes, Plotly.react on the same plot", async () => {
    const { renderer, plotly } = attached();
    const live = { live: true, progress: { ratePerSec: 10, etaMs: 500, elapsedMs: 100, lanes: [] } };
    await renderer.renderModel(model(timelinePayload(spans.slice(0, 1), { ...live, done: 2, total: 6 })));
    const nodes = [...renderer.node.children];
    const progress = renderer.node.querySelector(".lanes-Progress") as HTMLElement;
    expect(progress.hidden).toBe(false);
    expect(progress.textContent).toContain("running: 33%");
    await renderer.renderModel(model(timelinePayload(spans, { ...live, done: 4, total: 6 })));
    expect([...renderer.node.children]).toEqual(nodes);
    expect(plotly.draws.map((d) => d.node)).toEqual([plotly.draws[0]!.node, plotly.draws[0]!.node]);
    expect(plotly.api.purge).not.toHaveBeenCalled();
    await renderer.renderModel(model(timelinePayload(spans)));
    expect(progress.hidden).toBe(true);
  });

  it("redraws with the dark colours when JupyterLab switches theme", async () => {
    const { renderer, plotly } = attached();
    document.body.dataset.jpThemeLight = "true";
    await renderer.renderModel(model(timelinePayload(spans)));
    expect(renderer.node.dataset.lanesTheme).toBe("light");
    document.body.dataset.jpThemeLight = "false";
    await vi.waitFor(() => expect(renderer.node.dataset.lanesTheme).toBe("dark"));
    expect(plotly.draws.length).toBe(2);
  });

  it("redraws the visible range on zoom and everything on double-click", async () => {
    const { renderer, plotly } = attached();
    await renderer.renderModel(model(timelinePayload(spans)));
    plotly.handlers.get("plotly_relayout")!({ "xaxis.range[0]": 2, "xaxis.range[1]": 6 });
    await vi.waitFor(() => expect(plotly.draws.length).toBe(2));
    expect(plotly.draws[1]!.layout.xaxis?.range).toEqual([2, 6]);
    plotly.handlers.get("plotly_doubleclick")!({});
    await vi.waitFor(() => expect(plotly.draws.length).toBe(3));
    expect(plotly.draws[2]!.layout.xaxis?.range).toEqual([0, 9]);
    await frame();
    expect(plotly.draws.length).toBe(3);
  });

  it("waits until it is on the page before drawing", async () => {
    const plotly = fakePlotly();
    const renderer = new TimelineRenderer(options, { loadPlotly: plotly.load });
    widgets.push(renderer);
    await renderer.renderModel(model(timelinePayload(spans)));
    expect(plotly.draws.length).toBe(0);
    Widget.attach(renderer, document.body);
    await vi.waitFor(() => expect(plotly.draws.length).toBe(1));
  });

  it("frees the plot with Plotly.purge when disposed", async () => {
    const { renderer, plotly } = attached();
    await renderer.renderModel(model(timelinePayload(spans)));
    renderer.dispose();
    expect(plotly.api.purge).toHaveBeenCalledWith(plotly.draws[0]!.node);
  });

  it("says so when the payload is not a timeline", async () => {
    const { renderer, plotly } = attached();
    await renderer.renderModel(model({ version: 2 }));
    expect(renderer.node.textContent).toContain("unsupported payload");
    expect(plotly.load).not.toHaveBeenCalled();
  });

  it("takes down the previous chart when an update is not a timeline, and draws again after", async () => {
    const { renderer, plotly } = attached();
    await renderer.renderModel(model(timelinePayload(spans)));
    expect(renderer.node.querySelector(".lanes-Summary")!.textContent).not.toBe("");
    await renderer.renderModel(model({ version: 2 }));
    expect(plotly.api.purge).toHaveBeenCalledWith(plotly.draws[0]!.node);
    expect(renderer.node.querySelector(".lanes-Summary")!.textContent).toBe("");
    expect(renderer.node.querySelector(".lanes-Legend")!.childElementCount).toBe(0);
    expect(renderer.node.dataset.lanesBars).toBeUndefined();
    await renderer.renderModel(model(timelinePayload(spans)));
    expect(plotly.draws.length).toBe(2);
    expect(plotly.handlers.has("plotly_relayout")).toBe(true);
    expect(renderer.node.dataset.lanesBars).toBe("3");
  });
});

describe("TimelineRenderer legend", () => {
  it("names each call and the failures, as text", async () => {
    const plotly = fakePlotly();
    const renderer = new TimelineRenderer(options, { loadPlotly: plotly.load });
    Widget.attach(renderer, document.body);
    await renderer.renderModel(model(timelinePayload(spans, { calls: [XSS] })));
    expect([...renderer.node.querySelectorAll(".lanes-LegendLabel")].map((e) => e.textContent)).toEqual([XSS, "failed"]);
    renderer.dispose();
  });
});
