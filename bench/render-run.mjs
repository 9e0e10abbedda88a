// Time to first paint of the Lanes renderers in Debian's Chromium: timelines of 10^3, 10^4 and 10^5
// spans, and a table of 10^4 rows × 50 columns. Prints a table (median of RUNS runs).
//   npm run build && node bench/render-run.mjs
// "cold" is a fresh page, so it includes loading plotly.js (the first timeline of a session);
// "warm" is another timeline on a page that already has plotly. Timings cover renderModel until
// the frame after it painted.
import { build } from "esbuild";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { encodeSpans } = require(join(root, "dist", "wire", "span-codec.js"));
const RUNS = Number(process.env.RUNS ?? 3);
const CHROMIUM = process.env.LANES_CHROMIUM ?? "/usr/bin/chromium";

/** `n` tasks on 8 workers: 1–3 ms each, small dispatch gaps, one failure in 500, as a pool makes them. */
function timelinePayload(n, workers = 8) {
  let seed = 42;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const free = new Array(workers).fill(0);
  const spans = { count: n, worker: [], threadId: [], call: [], queued: [], started: [], finished: [], first: [], last: [], outcome: [], errors: new Map() };
  for (let i = 0; i < n; i++) {
    const w = free.indexOf(Math.min(...free));
    const start = free[w] + 0.02 + random() * 0.05;
    const end = start + 1 + random() * 2;
    free[w] = end;
    spans.worker.push(w);
    spans.threadId.push(w + 1);
    spans.call.push(0);
    spans.queued.push(0);
    spans.started.push(start);
    spans.finished.push(end);
    spans.first.push(i * 10);
    spans.last.push(i * 10 + 10);
    const failed = i % 500 === 499;
    spans.outcome.push(failed ? 1 : 0);
    if (failed) spans.errors.set(i, "RangeError");
  }
  const wallMs = Math.max(...free);
  const busy = free.map(() => 0.97);
  return {
    version: 1,
    origin: Date.now(),
    calls: ["transform"],
    workers,
    live: false,
    done: n * 10,
    total: n * 10,
    spans: encodeSpans(spans),
    omittedSpans: 0,
    summary: { wallMs, busy, parallelism: 7.8, serialEstimateMs: wallMs * 7.8, speedup: 7.8, queueWaitMs: n * wallMs * 0.5, errors: Math.floor(n / 500) },
  };
}

function tablePayload(rows, cols) {
  const columns = Array.from({ length: cols }, (_, c) =>
    c % 5 === 4
      ? { name: `label_${c}`, type: "string", summary: { nulls: 0, distinct: 100, min: "a0", max: "z99" } }
      : { name: `value_${c}`, type: "number", summary: { nulls: 3, distinct: 5000, min: 0, max: 1000, histogram: { edges: Array.from({ length: 21 }, (_, i) => i * 50), counts: Array.from({ length: 20 }, (_, i) => 400 + ((i * 37) % 200)) } } },
  );
  const data = Array.from({ length: rows }, (_, r) => columns.map((col, c) => (col.type === "string" ? `${String.fromCharCode(97 + ((r + c) % 26))}${(r * 7) % 100}` : ((r * 7919 + c * 104729) % 100000) / 100)));
  return { version: 1, columns, rows: data, totalRows: rows * 10, rowLimit: rows };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const out = mkdtempSync(join(tmpdir(), "lanes-render-bench-"));
  await build({
    entryPoints: [join(root, "bench", "render-page.mjs")],
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    minify: true,
    outdir: out,
    logLevel: "error",
  });
  const html = `<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="/base.css"><body style="margin:0"></body><script type="module" src="/render-page.js"></script>`;
  const css = readFileSync(join(root, "extension", "style", "base.css"));
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/") return res.writeHead(200, { "content-type": "text/html" }).end(html);
    if (path === "/base.css") return res.writeHead(200, { "content-type": "text/css" }).end(css);
    try {
      const body = readFileSync(join(out, path.replace(/^\/+/, "")));
      res.writeHead(200, { "content-type": extname(path) === ".js" ? "text/javascript" : "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const rows = [];
  try {
    const fresh = async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(url);
      await page.waitForFunction("globalThis.lanesBench !== undefined");
      return page;
    };
    const load = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await fresh();
      load.push((await page.evaluate(() => globalThis.lanesBench.plotly())).ms);
      await page.close();
    }
    rows.push({ what: "loading plotly.js alone", cold: median(load), warm: NaN, extra: "part of every cold figure" });
    for (const n of [1_000, 10_000, 100_000]) {
      const payload = timelinePayload(n);
      const cold = [];
      const warm = [];
      const zoom = [];
      let bars = 0;
      let zoomBars = 0;
      for (let run = 0; run < RUNS; run++) {
        const page = await fresh();
        const first = await page.evaluate((p) => globalThis.lanesBench.timeline(p), payload);
        cold.push(first.ms);
        await page.evaluate(() => globalThis.lanesBench.clear());
        const second = await page.evaluate((p) => globalThis.lanesBench.timeline(p), payload);
        warm.push(second.ms);
        bars = second.bars;
        const wall = payload.summary.wallMs;
        const z = await page.evaluate(([a, b]) => globalThis.lanesBench.zoom(a, b), [wall * 0.45, wall * 0.55]);
        zoom.push(z.ms);
        zoomBars = z.bars;
        await page.close();
      }
      rows.push({ what: `timeline, ${n.toLocaleString("en")} spans`, cold: median(cold), warm: median(warm), extra: `${bars} bars drawn; zoom to 10%: ${median(zoom).toFixed(0)} ms (${zoomBars} bars)` });
    }
    const table = tablePayload(10_000, 50);
    const first = [];
    const sort = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await fresh();
      first.push((await page.evaluate((p) => globalThis.lanesBench.table(p), table)).ms);
      sort.push((await page.evaluate(() => globalThis.lanesBench.sort(2))).ms);
      await page.close();
    }
    rows.push({ what: "table, 10,000 rows × 50 columns", cold: median(first), warm: NaN, extra: `sort 10,000 rows by a column: ${median(sort).toFixed(0)} ms` });
  } finally {
    await browser.close();
    server.close();
    rmSync(out, { recursive: true, force: true });
  }
  const pad = (s, n) => String(s).padEnd(n);
  const ms = (x) => (Number.isNaN(x) ? "–" : `${x.toFixed(0)} ms`);
  console.log(`Time to first paint in Chromium (${CHROMIUM}), median of ${RUNS}; cold = fresh page incl. loading plotly.js\n`);
  console.log(`| ${pad("render", 34)} | ${pad("cold", 8)} | ${pad("warm", 8)} | notes`);
  console.log(`|${"-".repeat(36)}|${"-".repeat(10)}|${"-".repeat(10)}|------`);
  for (const r of rows) console.log(`| ${pad(r.what, 34)} | ${pad(ms(r.cold), 8)} | ${pad(ms(r.warm), 8)} | ${r.extra}`);
}

await main();
