import { formatCount, formatNumber } from "lanes/dist/wire/format";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 80;
const HEIGHT = 22;

/** A mini histogram of a numeric column, built as SVG nodes (no markup strings involved). */
export function miniHistogram(histogram: { edges: readonly number[]; counts: readonly number[] }): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "lanes-Histogram");
  svg.setAttribute("width", String(WIDTH));
  svg.setAttribute("height", String(HEIGHT));
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute("role", "img");
  const counts = histogram.counts.filter((c) => Number.isFinite(c));
  const max = Math.max(1, ...counts);
  const barWidth = WIDTH / Math.max(1, counts.length);
  counts.forEach((count, i) => {
    const h = count === 0 ? 0 : Math.max(1, (count / max) * HEIGHT);
    const rect = document.createElementNS(SVG, "rect");
    rect.setAttribute("x", (i * barWidth).toFixed(2));
    rect.setAttribute("y", (HEIGHT - h).toFixed(2));
    rect.setAttribute("width", Math.max(0.5, barWidth - 0.5).toFixed(2));
    rect.setAttribute("height", h.toFixed(2));
    const title = document.createElementNS(SVG, "title");
    const from = histogram.edges[i];
    const to = histogram.edges[i + 1];
    title.textContent = `${from !== undefined ? formatNumber(from) : "?"} to ${to !== undefined ? formatNumber(to) : "?"}: ${formatCount(count)}`;
    rect.append(title);
    svg.append(rect);
  });
  return svg;
}
