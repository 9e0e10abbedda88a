import { describe, expect, it } from "vitest";
import { formatPercent } from "lanes/dist/wire/format";
import { decodeSpans } from "lanes/dist/wire/span-codec";
import { timelineHtml } from "lanes/dist/display/timeline-html";
import { callList, figureText, summaryFigures } from "lanes/dist/wire/timeline-labels";
import { timelineText } from "lanes/dist/display/timeline-text";
import type { Theme } from "../src/theme";
import { barsFor } from "../src/timeline-bars";
import { timelineFigure } from "../src/timeline-figure";
import { toLanes } from "../src/timeline-lanes";
import { summaryText, titleText } from "../src/timeline-summary";
import { timelinePayload } from "./fixtures";

const theme: Theme = { dark: false, text: "#111111", muted: "#555555", grid: "#dddddd", plot: "#ffffff", hoverBackground: "#ffffff", hoverBorder: "#cccccc", font: "sans-serif" };

// Twelve calls (more than a title lists, and more than the HTML legend shows), the first with a
// name longer than a title keeps; three workers; one failed task.
const longName = "a_call_with_a_name_much_longer_than_forty_characters";
const calls = [longName, ...Array.from({ length: 11 }, (_, i) => `call${i + 1}`)];
const payload = timelinePayload(
  [
    { worker: 0, call: 0, queued: 0, started: 1, finished: 5 },
    { worker: 1, call: 0, queued: 0, started: 2, finished: 8, outcome: 1, error: "RangeError" },
    { worker: 2, call: 1, queued: 1, started: 4, finished: 9 },
  ],
  {
    calls,
    summary: { wallMs: 9, busy: [0.444, 0.667, 0.556], parallelism: 1.875, serialEstimateMs: 15, speedup: 1.667, queueWaitMs: 6, errors: 1 },
  },
);

/** The three renderings of `payload`: text/plain, text/html, and the extension's nodes and plot. */
function renderings() {
  const model = toLanes(payload);
  const bars = barsFor(model.lanes, { range: [0, model.end], widthPx: 800 });
  const figure = timelineFigure({ payload, lanes: model.lanes.length, bars, theme, widthPx: 900, range: undefined, end: model.end });
  return {
    text: timelineText(payload),
    html: timelineHtml(payload, decodeSpans(payload.spans)),
    title: titleText(payload),
    summary: summaryText(payload, model),
    ticks: figure.layout.yaxis?.ticktext as string[],
  };
}

describe("one payload, three renderings, the same words", () => {
  const r = renderings();
  const expected = ["wall 9.0 ms", "parallelism 1.88×", "speedup 1.67×", "serial estimate 15.0 ms", "queue wait per batch 2.0 ms", "batches with errors 1"];

  it("the shared figures are the expected ones", () => {
    expect(summaryFigures(payload).map(figureText)).toEqual(expected);
  });

  it("text/plain, text/html and the extension show the same labelled figures", () => {
    const textFigures = r.text.split("\n")[1]!.split(" · ");
    const htmlFigures = [...r.html.matchAll(/<tr><th[^>]*>([^<]*)<\/th><td[^>]*>([^<]*)<\/td><\/tr>/g)].map(([, label, value]) => `${label} ${value}`);
    // The extension adds what only its lanes show (idle gaps); the rest is the shared figures.
    const extensionFigures = r.summary.split(" · ").filter((part) => !/idle gap/.test(part));
    expect(textFigures).toEqual(expected);
    expect(htmlFigures.filter((f) => !f.startsWith("busy "))).toEqual(expected);
    expect(extensionFigures).toEqual(expected);
  });

  it("each worker's busy share reads `worker N … P% busy` in all three", () => {
    const htmlBusy = /<th[^>]*>busy<\/th><td[^>]*>([^<]*)<\/td>/.exec(r.html)?.[1];
    payload.summary.busy.forEach((b, w) => {
      const share = formatPercent(b);
      expect(r.text.split("\n").find((line) => line.startsWith(`worker ${w} `))).toMatch(new RegExp(` ${share} busy$`));
      expect(htmlBusy).toContain(`worker ${w} ${share}`);
      expect(r.ticks[w]).toBe(`worker ${w} · ${share} busy`);
    });
  });

  it("lists calls the same way: three names, cut to 40 characters, then `and N more calls`", () => {
    const list = callList(payload.calls);
    expect(list).toBe(`${longName.slice(0, 39)}…, call1, call2 and 9 more calls`);
    expect(r.text.split("\n")[0]).toContain(` · ${list} · `);
    expect(r.title.startsWith(`${list} · `)).toBe(true);
    // The HTML legend is the colour key: it shows ten calls, and says what it leaves out in the same words.
    expect(r.html).toContain("<span>and 2 more calls</span>");
  });
});
