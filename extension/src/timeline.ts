import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import type { Message } from "@lumino/messaging";
import { Widget } from "@lumino/widgets";
import type { PlotRelayoutEvent } from "plotly.js-dist-min";
import { barMeaning } from "lanes/dist/wire/timeline-labels";
import { TIMELINE_MIME, type TimelinePayloadV1 } from "lanes/dist/wire/mime";
import { element } from "./dom";
import { readPayload } from "./payload";
import { loadPlotly, type PlotlyApi } from "./plotly-loader";
import { readTheme, watchTheme } from "./theme";
import { barsFor } from "./timeline-bars";
import { figureMargin, timelineFigure } from "./timeline-figure";
import { toLanes, type LaneModel } from "./timeline-lanes";
import { fillLegend } from "./timeline-legend";
import { asTimeline } from "./timeline-payload";
import { readExtras, type Extras } from "./timeline-waits";
import { progressText, summaryText, titleText } from "./timeline-summary";

export interface TimelineRendererDeps {
  /** How plotly is obtained; tests pass a fake. */
  loadPlotly?: () => Promise<PlotlyApi>;
}

/** Width to lay out for while the output is not on the page yet (the first resize corrects it). */
const FALLBACK_WIDTH = 800;

/**
 * Renders `application/vnd.lanes.timeline.v1+json`: a title, the figures line, a progress bar
 * while live, and a plotly Gantt chart with a lane per worker. A live display calls `renderModel`
 * again for every update; the same nodes and the same plot are updated in place (`Plotly.react`),
 * so nothing flickers.
 */
export class TimelineRenderer extends Widget implements IRenderMime.IRenderer {
  private readonly mimeType: string;
  private readonly load: () => Promise<PlotlyApi>;
  private readonly titleNode = element("div", "lanes-Title");
  private readonly summaryNode = element("div", "lanes-Summary");
  private readonly progressNode = element("div", "lanes-Progress");
  private readonly progressBar = document.createElement("progress");
  private readonly progressLabel = document.createElement("span");
  private readonly legendNode = element("div", "lanes-Legend");
  private readonly plotNode = element("div", "lanes-Plot");
  private readonly messageNode = element("div", "lanes-Message");
  private payload: TimelinePayloadV1 | undefined;
  private model: LaneModel | undefined;
  private extras: Extras | undefined;
  /** The x range the user zoomed to; `undefined`: everything. Kept across live updates. */
  private range: [number, number] | undefined;
  private plotly: PlotlyApi | undefined;
  private drawing: Promise<void> = Promise.resolve();
  private frame = 0;
  private drawnWidth = 0;
  private pending = false;
  private listening = false;
  private readonly stopWatchingTheme: () => void;
  private readonly resizeObserver: ResizeObserver | undefined;

  constructor(options: IRenderMime.IRendererOptions, deps: TimelineRendererDeps = {}) {
    super();
    this.mimeType = options.mimeType;
    this.load = deps.loadPlotly ?? loadPlotly;
    this.addClass("lanes-Timeline");
    this.node.dataset.lanesMime = options.mimeType;
    this.progressNode.append(this.progressBar, this.progressLabel);
    this.progressNode.hidden = true;
    this.messageNode.hidden = true;
    this.node.append(this.titleNode, this.summaryNode, this.progressNode, this.legendNode, this.plotNode, this.messageNode);
    this.stopWatchingTheme = watchTheme(() => this.scheduleDraw());
    if (typeof ResizeObserver !== "undefined") {
      this.resizeObserver = new ResizeObserver(() => this.onWidthMaybeChanged());
      this.resizeObserver.observe(this.node);
    }
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const payload = asTimeline(readPayload(model.data[this.mimeType]));
    if (!payload) {
      this.clear();
      this.titleNode.textContent = "Lanes timeline: unsupported payload";
      return;
    }
    this.payload = payload;
    this.model = toLanes(payload);
    this.extras = readExtras(payload, this.model.lanes.length);
    // Waits may end after the last batch (a kernel wait): the axis covers them too.
    for (const w of this.extras.waits) this.model.end = Math.max(this.model.end, w.end);
    // Payload strings only ever reach the page as text.
    this.titleNode.textContent = titleText(payload);
    // The title counts batches: hovering it says what one is.
    this.titleNode.title = barMeaning(payload);
    this.summaryNode.textContent = summaryText(payload, this.model);
    fillLegend(this.legendNode, payload.calls, this.model, this.extras);
    const progress = progressText(payload, this.model.waiting);
    this.progressNode.hidden = progress === undefined;
    this.progressLabel.textContent = progress ?? "";
    this.progressBar.max = Math.max(payload.total, 1);
    this.progressBar.value = Math.min(payload.done, payload.total);
    try {
      this.plotly ??= await this.load();
    } catch (err) {
      this.showMessage(`Could not load plotly.js to draw the timeline: ${String(err)}`);
      return;
    }
    await this.draw();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.stopWatchingTheme();
    this.resizeObserver?.disconnect();
    // Plotly keeps listeners, WebGL contexts and a hover layer per plot: free them with the output.
    this.plotly?.purge(this.plotNode);
    super.dispose();
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.pending) this.scheduleDraw();
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.onWidthMaybeChanged();
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this.onWidthMaybeChanged();
  }

  private onWidthMaybeChanged(): void {
    const width = this.plotNode.clientWidth;
    if (width > 0 && Math.abs(width - this.drawnWidth) >= 1) this.scheduleDraw();
  }

  /** Resizes, theme changes and zooms come in bursts: draw once per frame. */
  private scheduleDraw(): void {
    if (this.frame !== 0 || this.isDisposed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      void this.draw();
    });
  }

  /** Draws are chained: two `Plotly.react` calls on one plot must not interleave. */
  private draw(): Promise<void> {
    this.drawing = this.drawing
      .then(() => this.drawNow())
      .catch((err: unknown) => {
        console.error("lanes-jupyterlab: drawing the timeline failed", err);
        this.showMessage(`Could not draw the timeline: ${String(err)}`);
      });
    return this.drawing;
  }

  private async drawNow(): Promise<void> {
    const { plotly, payload, model, extras } = this;
    if (!plotly || !payload || !model || this.isDisposed) return;
    if (!this.node.isConnected) {
      // Plotly measures text on the page: wait until the output is attached.
      this.pending = true;
      return;
    }
    this.pending = false;
    const width = this.plotNode.clientWidth || FALLBACK_WIDTH;
    const theme = readTheme();
    const range: readonly [number, number] = this.range ?? [0, model.end];
    const margin = figureMargin(payload);
    const bars = barsFor(model.lanes, { range, widthPx: width - margin.l - margin.r });
    const lanes = model.lanes.length + (extras !== undefined && extras.kernelLane >= 0 ? 1 : 0);
    const figure = timelineFigure({ payload, lanes, bars, theme, widthPx: width, range: this.range, end: model.end, extras });
    const plot = await plotly.react(this.plotNode, figure.data, figure.layout, figure.config);
    this.drawnWidth = width;
    if (!this.listening) {
      this.listening = true;
      plot.on("plotly_relayout", (event) => this.onRelayout(event));
      plot.on("plotly_doubleclick", () => {
        this.range = undefined;
        this.scheduleDraw();
      });
    }
    this.messageNode.hidden = true;
    // For tests and styling: what is on screen now.
    this.node.dataset.lanesTheme = theme.dark ? "dark" : "light";
    this.node.dataset.lanesBars = String(bars.length);
    this.node.dataset.lanesLanes = String(lanes);
    // Wait marks and depth tracks drawn (the browser test counts them).
    this.node.dataset.lanesWaits = String(figure.waitMarks);
    this.node.dataset.lanesTracks = String(extras?.tracks.length ?? 0);
  }

  /** Zoom and pan: remember the range and redraw, with finer bars if batches were merged. */
  private onRelayout(event: PlotRelayoutEvent): void {
    const pair = (event as { "xaxis.range"?: unknown })["xaxis.range"];
    const from = event["xaxis.range[0]"] ?? (Array.isArray(pair) ? (pair[0] as unknown) : undefined);
    const to = event["xaxis.range[1]"] ?? (Array.isArray(pair) ? (pair[1] as unknown) : undefined);
    let next: [number, number] | undefined;
    if (typeof from === "number" && typeof to === "number") next = [from, to];
    else if (event["xaxis.autorange"] === true) next = undefined;
    else return;
    if (next?.[0] === this.range?.[0] && next?.[1] === this.range?.[1]) return;
    this.range = next;
    this.scheduleDraw();
  }

  /** Forgets the timeline shown so far (a later payload was not a timeline): no stale chart stays up. */
  private clear(): void {
    this.payload = this.model = this.range = this.extras = undefined;
    this.summaryNode.textContent = "";
    this.legendNode.replaceChildren();
    this.progressNode.hidden = true;
    this.messageNode.hidden = true;
    // purge also drops the plot's event handlers: the next draw must add them again.
    this.plotly?.purge(this.plotNode);
    this.listening = false;
    this.drawnWidth = 0;
    delete this.node.dataset.lanesBars;
    delete this.node.dataset.lanesLanes;
    delete this.node.dataset.lanesWaits;
    delete this.node.dataset.lanesTracks;
  }

  private showMessage(text: string): void {
    this.messageNode.textContent = text;
    this.messageNode.hidden = false;
  }
}

export const timelineRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [TIMELINE_MIME],
  createRenderer: (options) => new TimelineRenderer(options),
};

export const timelineExtension: IRenderMime.IExtension = {
  id: "lanes-jupyterlab:timeline",
  description: "Renders Lanes worker timelines.",
  rendererFactory: timelineRendererFactory,
  // Rank 0 wins over the text/html and text/plain fallbacks sent in the same bundle.
  rank: 0,
  dataType: "json",
};
