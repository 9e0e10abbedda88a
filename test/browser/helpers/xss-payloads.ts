// Payloads with hostile strings in every string field the renderers show: names, error names,
// column names and types, cells, summary bounds. A renderer that let any of them become markup
// would run the handler (setting globalThis.__lanesXss) or add an <img>, <a> or <b> to the page.
import type { TablePayloadV1, TimelinePayloadV1 } from "../../../src/wire/mime";

export const XSS = `<img src=x onerror="globalThis.__lanesXss = 1"><a href="javascript:globalThis.__lanesXss = 2">link</a><b>bold</b>&amp;`;

export const xssTimeline: TimelinePayloadV1 = {
  version: 1,
  origin: 1_700_000_000_000,
  calls: [XSS, `second ${XSS}`],
  workers: 2,
  live: true,
  done: 4,
  total: 8,
  spans: {
    count: 4,
    worker: [0, 1, 0, 1],
    queued: [0, 0, 0, 0],
    started: [1_000, 0, 9_000, 9_000],
    duration: [9_000, 9_000, 8_000, -2],
    items: [2, 2, 2, 2],
    outcome: "oeor",
    callRuns: [0, 2, 1, 2],
    threads: [0, 1, 1, 2],
    itemJumps: [],
    errors: [1, 0],
    errorNames: [XSS],
  },
  omittedSpans: 0,
  summary: { wallMs: 20, busy: [0.9, 0.8], parallelism: 1.7, serialEstimateMs: 34, speedup: 1.7, queueWaitMs: 2, errors: 1 },
  progress: { ratePerSec: 200, etaMs: 20, elapsedMs: 20, lanes: [{ worker: 0, threadId: 1, state: "idle" }, { worker: 1, threadId: 2, state: "busy", items: [6, 8], forMs: 10 }] },
  // A cluster pool's lane names (host:pid/threadId), the first with a hostile host.
  laneLabels: [`${XSS}:4242/1`, "node-b:977/3"],
};

export const xssTable: TablePayloadV1 = {
  version: 1,
  columns: [
    { name: "x", type: "number", summary: { nulls: 0, distinct: 2, min: 1, max: 2, histogram: { edges: [1, 1.5, 2], counts: [1, 1] } } },
    { name: XSS, type: XSS as "string", summary: { nulls: 1, distinct: 2, min: XSS, max: XSS } },
  ],
  rows: [
    [1, "a"],
    [2, XSS],
    [3, null],
  ],
  totalRows: 3,
  rowLimit: 100,
};
