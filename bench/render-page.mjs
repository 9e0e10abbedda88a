// Browser side of the render benchmark (bundled by bench/render-run.mjs): the extension's real
// renderers, attached to a plain page the way JupyterLab's output area attaches them. plotly.js is
// a separate chunk loaded on the first timeline, as in JupyterLab.
import { Widget } from "@lumino/widgets";
import { TABLE_MIME, TIMELINE_MIME } from "lanes/dist/wire/mime";
import { TableRenderer } from "../extension/src/table";
import { TimelineRenderer } from "../extension/src/timeline";
import { loadPlotly } from "../extension/src/plotly-loader";

/** Two animation frames: the first runs before the next paint, the second after it. */
const painted = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
const widgets = [];

function host() {
  const node = document.createElement("div");
  node.style.width = "1200px";
  document.body.append(node);
  return node;
}

async function timed(Renderer, mime, payload) {
  const t0 = performance.now();
  const renderer = new Renderer({ mimeType: mime });
  widgets.push(renderer);
  Widget.attach(renderer, host());
  await renderer.renderModel({ data: { [mime]: payload }, metadata: {}, trusted: false });
  await painted();
  return { ms: performance.now() - t0, renderer };
}

globalThis.lanesBench = {
  /** Loading plotly.js alone (fetch, parse, evaluate the 4.8 MB chunk). */
  async plotly() {
    const t0 = performance.now();
    await loadPlotly();
    return { ms: performance.now() - t0 };
  },
  async timeline(payload) {
    const { ms, renderer } = await timed(TimelineRenderer, TIMELINE_MIME, payload);
    return { ms, bars: Number(renderer.node.dataset.lanesBars) };
  },
  /** Zooms the last timeline to [from, to] the way a drag does, until the finer bars are painted. */
  async zoom(from, to) {
    const renderer = widgets[widgets.length - 1];
    const plot = renderer.node.querySelector(".lanes-Plot");
    const Plotly = await loadPlotly();
    const before = renderer.node.dataset.lanesBars;
    const t0 = performance.now();
    await Plotly.relayout(plot, { "xaxis.range[0]": from, "xaxis.range[1]": to });
    while (renderer.node.dataset.lanesBars === before) await new Promise((r) => requestAnimationFrame(r));
    await painted();
    return { ms: performance.now() - t0, bars: Number(renderer.node.dataset.lanesBars) };
  },
  async table(payload) {
    const { ms } = await timed(TableRenderer, TABLE_MIME, payload);
    return { ms };
  },
  /** Clicks the name of column `c` of the last table (sorting all rows) until the page is painted. */
  async sort(c) {
    const renderer = widgets[widgets.length - 1];
    const t0 = performance.now();
    renderer.node.querySelectorAll(".lanes-SortButton")[c].click();
    await painted();
    return { ms: performance.now() - t0 };
  },
  clear() {
    for (const w of widgets.splice(0)) w.dispose();
    document.body.replaceChildren();
  },
};
