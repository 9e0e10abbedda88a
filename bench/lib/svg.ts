/**
 * The plot: Lanes vs each peer, one bar per pair, on a log scale around 1× (right: Lanes faster).
 * Hand-written SVG: text is escaped and nothing in it runs (no script, no event attributes, no links).
 */
import { formatRatio } from "./format";
import type { BenchReport, PeerKind } from "./result";
import { PEERS, summaryEntries } from "./report";

const COLORS: Record<PeerKind, string> = {
  lanes: "#444444",
  serial: "#7f7f7f",
  threads: "#bcbd22",
  piscina: "#1f77b4",
  "piscina-chunked": "#6baed6",
  workerpool: "#d62728",
  "workerpool-chunked": "#ff9896",
  messageport: "#9467bd",
  python: "#2ca02c",
  bullmq: "#e377c2",
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch);
}

export function renderSvg(report: BenchReport): string {
  const entries = summaryEntries(report);
  const width = 860;
  const labelWidth = 300;
  const plotLeft = labelWidth + 10;
  const plotRight = width - 70;
  const row = 16;
  const top = 56;
  const ratios = entries.map((e) => e.ratio);
  const lo = Math.min(0.25, ...ratios.map((r) => r / 1.3));
  const hi = Math.max(4, ...ratios.map((r) => r * 1.3));
  const x = (r: number): number => plotLeft + ((Math.log10(r) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (plotRight - plotLeft);

  const body: string[] = [];
  let y = top;
  let current = "";
  for (const e of entries) {
    if (e.caseTitle !== current) {
      current = e.caseTitle;
      y += 8;
      body.push(`<text x="8" y="${y + 11}" font-weight="bold">${escapeXml(e.caseTitle)}</text>`);
      y += row;
    }
    const x0 = x(1);
    const x1 = x(e.ratio);
    const color = COLORS[e.peer];
    body.push(
      `<text x="${labelWidth}" y="${y + 11}" text-anchor="end">${escapeXml(`vs ${e.peerLabel}`)}</text>`,
      `<rect x="${Math.min(x0, x1).toFixed(1)}" y="${y + 2}" width="${Math.max(1, Math.abs(x1 - x0)).toFixed(1)}" height="${row - 4}" fill="${color}"><title>${escapeXml(`${e.vs} vs ${e.runner}: ${formatRatio(e.ratio)}`)}</title></rect>`,
      `<text x="${(Math.max(x0, x1) + 4).toFixed(1)}" y="${y + 11}">${escapeXml(formatRatio(e.ratio))}</text>`,
    );
    y += row;
  }
  const key = legend(PEERS.filter((p) => entries.some((e) => e.peer === p.kind)), y + 40, width);
  const height = key.bottom + 10;
  const ticks: string[] = [];
  let lastX = -Infinity;
  for (const t of [0.01, 0.03, 0.1, 0.25, 0.5, 1, 2, 4, 10, 30, 100, 300, 1000]) {
    if (t < lo || t > hi) continue;
    const px = x(t);
    // 1× always; others only where their labels do not touch.
    if (t !== 1 && (px - lastX < 40 || Math.abs(px - x(1)) < 40)) continue;
    lastX = px;
    const tx = px.toFixed(1);
    ticks.push(
      `<line x1="${tx}" y1="${top}" x2="${tx}" y2="${y}" stroke="${t === 1 ? "#000" : "#ddd"}"${t === 1 ? "" : ' stroke-dasharray="3,3"'}/>`,
      `<text x="${tx}" y="${y + 16}" text-anchor="middle">${escapeXml(`${t}×`)}</text>`,
    );
  }
  const m = report.machine;
  const title = `Lanes vs peers, ${report.date}${report.quick ? " (--quick: not real figures)" : ""}`;
  const sub = `${m.cpus} CPUs, ${m.workers} workers per pool, Node ${m.node}, ${m.python ?? "no Python"}; load ${m.loadBefore[0]?.toFixed(2) ?? "?"} → ${m.loadAfter[0]?.toFixed(2) ?? "?"}; medians of ${report.runs} runs; right of 1×: Lanes faster (log scale)`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="8" y="20" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="8" y="38" fill="#555">${escapeXml(sub)}</text>`,
    ...ticks,
    ...body,
    key.svg,
    `</svg>`,
    "",
  ].join("\n");
}

function legend(peers: readonly { kind: PeerKind; label: string }[], top: number, width: number): { svg: string; bottom: number } {
  let x = 8;
  let y = top;
  const parts: string[] = [];
  for (const p of peers) {
    const w = 30 + p.label.length * 6.5;
    if (x > 8 && x + w > width) {
      x = 8;
      y += 16;
    }
    parts.push(`<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${COLORS[p.kind]}"/>`, `<text x="${x + 14}" y="${y}">${escapeXml(p.label)}</text>`);
    x += w;
  }
  return { svg: parts.join("\n"), bottom: y };
}
