// The whole stack in a real browser: JupyterLab from .venv, the tslab kernel, the Lanes extension,
// Debian's Chromium. One JupyterLab serves three notebooks: a small one run cell by cell in the
// kernel, the executed "Seeing the work" lesson (timelines, tables, the live display's final
// state), and a saved notebook whose outputs carry hostile strings in every field. Screenshots go
// to test-results/browser/.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeSpans } from "../../src/wire/span-codec";
import { TABLE_MIME, TIMELINE_MIME, type TablePayloadV1, type TimelinePayloadV1 } from "../../src/wire/mime";
import { launchChromium } from "./helpers/chromium";
import { projectRoot, startJupyterLab, type JupyterLab } from "./helpers/jupyterlab";
import { displayData, writeExecutedNotebook, writeTslabNotebook } from "./helpers/notebook";
import { XSS, xssTable, xssTimeline } from "./helpers/xss-payloads";

const shots = join(projectRoot, "test-results", "browser");
const NOTEBOOK = "lanes-browser.ipynb";
const LESSON = "03-seeing-the-work.ipynb";
const HOSTILE = "lanes-xss.ipynb";

// Three spans on two workers, column-wise and delta-coded in µs as the wire format says.
const timeline: TimelinePayloadV1 = {
  version: 1,
  origin: 1_700_000_000_000,
  calls: ["double"],
  workers: 2,
  live: false,
  done: 6,
  total: 6,
  spans: {
    count: 3,
    worker: [0, 1, 0],
    queued: [0, 0, 0],
    started: [1_000, 0, 9_000],
    duration: [9_000, 11_000, 10_000],
    items: [2, 2, 2],
    outcome: "ooo",
    callRuns: [0, 3],
    threads: [0, 1, 1, 2],
    itemJumps: [],
    errors: [],
    errorNames: [],
  },
  omittedSpans: 0,
  summary: { wallMs: 20, busy: [0.95, 0.55], parallelism: 1.5, serialEstimateMs: 30, speedup: 1.5, queueWaitMs: 11, errors: 0 },
};

const table: TablePayloadV1 = {
  version: 1,
  columns: [
    { name: "x", type: "number" },
    { name: XSS, type: "string" },
  ],
  rows: [
    [1, "a"],
    [2, XSS],
  ],
  totalRows: 2,
  rowLimit: 100,
};

// tslab's public display API sends one MIME type as a string; the renderers accept JSON text too.
const cells = [
  "const answer = 6 * 7;\nconsole.log(`answer: ${answer}`);",
  `import * as tslab from "tslab";\nconst timeline = ${JSON.stringify(timeline)};\ntslab.display.raw(${JSON.stringify(TIMELINE_MIME)}, JSON.stringify(timeline));`,
  `const table = ${JSON.stringify(table)};\ntslab.display.raw(${JSON.stringify(TABLE_MIME)}, JSON.stringify(table));`,
  // A live display: 8 tasks of 250 ms on 2 lanes, about 1 s of updates through the display_id. Fed by
  // hand through internals, from their own files (the package root exports only what a user calls).
  `import { SpanRecorder } from ${JSON.stringify(join(projectRoot, "dist", "trace", "span-recorder"))};
import { startProgress } from ${JSON.stringify(join(projectRoot, "dist", "display", "live-progress"))};
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const recorder = new SpanRecorder();
const call = recorder.beginCall("thumbnail", 40, 2);
const progress = startProgress(recorder, call);
const pending = Array.from({ length: 8 }, (_, t) => recorder.queued(call, t * 5, (t + 1) * 5));
await Promise.all([0, 1].map(async (lane) => {
  for (let span = pending.shift(); span !== undefined; span = pending.shift()) {
    recorder.started(span, lane, 0);
    await sleep(250);
    recorder.finished(span, "ok");
  }
}));
progress.finish();`,
  // Real slow-path waits and a real depth track: a Process holds a Lock until a second one is waiting
  // on it (the lock word says "contended"), then lets go; the waiter puts three items on a tracked queue.
  `import * as mp from ${JSON.stringify(join(projectRoot, "dist"))};
const waitLock = new mp.Lock();
const flags = mp.RawArray("i", 2);
const tasks = new mp.Queue<number>();
const depth = mp.trackDepth(tasks, { name: "tasks" });
const holder = new mp.Process({ name: "holder", target: () => { waitLock.acquire(); Atomics.store(flags, 0, 1); Atomics.notify(flags, 0); Atomics.wait(flags, 1, 0, 10_000); waitLock.release(); } });
holder.start();
// An event, not a poll: the holder notifies once it holds the lock (waitAsync answers at once if it already did).
await (Atomics as any).waitAsync(flags, 0, 0).value;
const waiter = new mp.Process({ name: "waiter", target: () => { waitLock.withLock(() => { for (let i = 0; i < 3; i++) tasks.putNowait(i); }); } });
waiter.start();
while (Atomics.load(waitLock.words, 0) !== 2) await new Promise((r) => setTimeout(r, 1));
Atomics.store(flags, 1, 1);
Atomics.notify(flags, 1);
await holder.join();
await waiter.join();
depth.stop();
mp.show(mp.Process.timeline([holder, waiter]));`,
];

/** All output text in the notebook, for failure messages. */
async function outputsText(page: Page): Promise<string> {
  return (await page.locator(".jp-OutputArea-output").allInnerTexts()).join("\n---\n");
}

/**
 * Bars and lanes as drawn in the `index`-th timeline on the page: plotly draws each bar as a path; a
 * lane is a distinct vertical position. Runs in the page, as source text (no DOM types here).
 */
async function barsAndLanes(page: Page, index = 0): Promise<{ bars: number; lanes: number; fills: string[] }> {
  return page.evaluate<{ bars: number; lanes: number; fills: string[] }>(`(() => {
    const node = document.querySelectorAll(".jp-OutputArea .lanes-Timeline")[${index}];
    const paths = [...node.querySelectorAll(".barlayer .point path")];
    // Bars of one lane share a centre line, give or take sub-pixel rounding; lanes are 26 px apart.
    const centres = paths.map((p) => ((r) => r.top + r.height / 2)(p.getBoundingClientRect())).sort((a, b) => a - b);
    const lanes = centres.filter((c, i) => i === 0 || c - centres[i - 1] > 5).length;
    return { bars: paths.length, lanes, fills: paths.map((p) => getComputedStyle(p).fill) };
  })()`);
}

/** Moves the mouse onto the first bar and returns the hover label's text. */
async function hoverFirstBar(page: Page, timelineNode: Locator): Promise<string> {
  await timelineNode.scrollIntoViewIfNeeded();
  const box = await timelineNode.locator(".barlayer .point path").first().boundingBox();
  if (!box) throw new Error("the first bar has no box");
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  const label = timelineNode.locator(".hoverlayer .hovertext");
  await label.first().waitFor({ state: "visible", timeout: 10_000 });
  return (await label.first().textContent()) ?? "";
}

/** Opens a notebook alone (`reset`: no tabs restored from before) and waits until its kernel is idle. */
async function openNotebook(page: Page, lab: JupyterLab, name: string): Promise<void> {
  await page.goto(`${lab.baseUrl}/lab/tree/${name}?reset&token=${lab.token}`, { waitUntil: "domcontentloaded" });
  await page.locator(".jp-NotebookPanel .jp-Toolbar-kernelName", { hasText: "TypeScript" }).waitFor({ timeout: 90_000 });
  await page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']").waitFor({ timeout: 90_000 });
}

describe("JupyterLab with the tslab kernel and the Lanes extension", () => {
  let rootDir = "";
  let lab: JupyterLab | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const installed = join(projectRoot, ".venv", "share", "jupyter", "labextensions", "lanes-jupyterlab", "package.json");
    if (!existsSync(installed)) {
      throw new Error("lanes-jupyterlab is not installed in .venv: run `npm run build -w extension && npm run install:venv -w extension` (set-up does this)");
    }
    mkdirSync(shots, { recursive: true });
    rootDir = mkdtempSync(join(tmpdir(), "lanes-browser-"));
    writeTslabNotebook(join(rootDir, NOTEBOOK), cells);
    writeExecutedNotebook(join(rootDir, HOSTILE), [
      { source: "mp.show(timeline)", outputs: [displayData({ [TIMELINE_MIME]: xssTimeline, "text/plain": "timeline" })] },
      { source: "mp.show(table)", outputs: [displayData({ [TABLE_MIME]: xssTable, "text/plain": "table" })] },
    ]);
    // The lesson, executed by the notebook harness in the real kernel: real payloads from real spans.
    execFileSync(
      join(projectRoot, ".venv", "bin", "python"),
      [join(projectRoot, "test", "notebooks", "execute_notebook.py"), join(projectRoot, "test", "notebooks", "fixtures", "seeing-the-work.ipynb"), join(rootDir, LESSON), "tslab", "120"],
      { cwd: projectRoot, stdio: "pipe", timeout: 240_000 },
    );
    lab = await startJupyterLab({ rootDir });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(60_000);
    page = await context.newPage();
    page.on("pageerror", (err) => pageErrors.push(err.message));
  });

  afterAll(async () => {
    // Browser first (so the page stops talking to the server), then the server and its kernels.
    await browser?.close().catch(() => undefined);
    await lab?.stop();
    if (rootDir) rmSync(rootDir, { recursive: true, force: true });
  });

  /** Runs `body`; on failure adds a screenshot, the outputs, page errors and the server's last lines. */
  async function withDiagnostics(name: string, body: (p: Page) => Promise<void>): Promise<void> {
    const p = page!;
    try {
      await body(p);
    } catch (err) {
      await p.screenshot({ path: join(shots, `${name}-failure.png`) }).catch(() => undefined);
      const outputs = await outputsText(p).catch(() => "");
      const serverLog = lab?.log().split("\n").slice(-40).join("\n") ?? "";
      throw new Error(`${(err as Error).message}\n── notebook outputs ──\n${outputs}\n── page errors ──\n${pageErrors.join("\n")}\n── jupyter lab (last lines) ──\n${serverLog}`, { cause: err });
    }
  }

  it("loads the Lanes extension into the page", async () => {
    const res = await fetch(`${lab!.baseUrl}/lab?token=${lab!.token}`);
    expect(res.ok).toBe(true);
    const config = /<script id="jupyter-config-data" type="application\/json">([\s\S]*?)<\/script>/.exec(await res.text())?.[1];
    const extensions = (JSON.parse(config ?? "{}") as { federated_extensions?: { name: string }[] }).federated_extensions ?? [];
    expect(extensions.map((e) => e.name)).toContain("lanes-jupyterlab");
  });

  it("runs a tslab notebook and renders the Lanes MIME types", async () => {
    await withDiagnostics("jupyterlab-notebook", async (p) => {
      await openNotebook(p, lab!, NOTEBOOK);
      // Watch for the live display while it runs and mark its plot node: updates must reuse it.
      await p.evaluate(`(() => {
        const observer = new MutationObserver(() => {
          for (const t of document.querySelectorAll('.jp-OutputArea .lanes-Timeline')) {
            const plot = t.querySelector('.lanes-Plot');
            // Marking is itself a mutation: mark once, or the observer feeds itself forever.
            if (t.querySelector('.lanes-Progress').hidden || !t.querySelector('.barlayer') || plot.dataset.lanesMarked) continue;
            plot.dataset.lanesMarked = 'live';
            globalThis.__lanesLiveSeen = (globalThis.__lanesLiveSeen ?? 0) + 1;
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      })()`);
      await p.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')");
      // Done when every code cell has an execution count and the kernel is idle again.
      await p.waitForFunction(
        `(() => {
          const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')];
          return prompts.length === ${cells.length} && prompts.every((e) => /\\[\\d+\\]/.test(e.textContent ?? ''));
        })()`,
        undefined,
        { timeout: 90_000, polling: 250 },
      );
      await p.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']").waitFor({ timeout: 30_000 });

      const text = await outputsText(p);
      expect(await p.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count(), text).toBe(0);
      expect(text).toContain("answer: 42");

      // The live display ended as the final timeline, drawn into the same plot node (no flicker).
      const liveNode = p.locator(".jp-OutputArea .lanes-Timeline").nth(1);
      await expect.poll(() => liveNode.locator(".lanes-Title").innerText(), { timeout: 15_000 }).toBe("thumbnail · 8 batches · 40/40 items");
      expect(await p.evaluate("globalThis.__lanesLiveSeen")).toBeGreaterThan(0);
      expect(await liveNode.locator(".lanes-Plot[data-lanes-marked='live']").count()).toBe(1);
      expect(await liveNode.locator(".lanes-Progress").isHidden()).toBe(true);
      expect(await barsAndLanes(p, 1)).toMatchObject({ bars: 8, lanes: 2 });

      const timelineNode = p.locator(".jp-OutputArea .lanes-Timeline").first();
      await timelineNode.locator(".barlayer .point path").first().waitFor();
      expect(await timelineNode.getAttribute("data-lanes-mime")).toBe(TIMELINE_MIME);
      expect(await timelineNode.locator(".lanes-Title").innerText()).toBe("double · 3 batches · 6/6 items");
      expect(await timelineNode.locator(".lanes-Summary").innerText()).toMatch(
        /^wall 20\.0 ms · parallelism 1\.50× · speedup 1\.50× · serial estimate 30\.0 ms · queue wait per batch 3\.7 ms · /,
      );
      expect(await barsAndLanes(p)).toMatchObject({ bars: 3, lanes: 2 });

      // The Processes' timeline: the waiter's lock wait on its lane, the queue's depth track below.
      const waitsNode = p.locator(".jp-OutputArea .lanes-Timeline").nth(2);
      await waitsNode.locator(".barlayer .point path").first().waitFor();
      expect(await waitsNode.locator(".lanes-Title").innerText()).toBe("holder, waiter · 2 processes · 2/2 finished");
      // Each lane is named after its Process, and time 0 is the first Process's start.
      const processTicks = await waitsNode.locator(".ytick text").allTextContents();
      expect(processTicks.map((t) => t.split(" · ")[0])).toEqual(expect.arrayContaining(["holder", "waiter"]));
      expect(await waitsNode.locator(".xtitle").textContent()).toBe("ms since the first Process was started");
      expect(await waitsNode.locator(".lanes-Summary").innerText()).toMatch(/start-up per process [\d.]+ m?s · lock waits [\d.]+ m?s total, longest [\d.]+ m?s on Lock#\d+ \(1 wait\)$/);
      expect(Number(await waitsNode.getAttribute("data-lanes-waits"))).toBe(1);
      expect(await waitsNode.getAttribute("data-lanes-tracks")).toBe("1");
      expect(await waitsNode.locator(".lanes-LegendLabel").allTextContents()).toEqual(["holder", "waiter", "waiting for a lock", "tasks depth"]);
      // Two batch bars and the wait mark; the depth track is a plotly scatter trace.
      expect((await barsAndLanes(p, 2)).bars).toBe(3);
      expect(await waitsNode.locator(".scatterlayer .trace").count()).toBe(1);
      await waitsNode.scrollIntoViewIfNeeded();
      await waitsNode.screenshot({ path: join(shots, "timeline-waits.png") });

      // Payload strings are text, never markup: the <img onerror> stays a string.
      const tableNode = p.locator(".jp-OutputArea .lanes-Table");
      await tableNode.waitFor();
      expect(await tableNode.getAttribute("data-lanes-mime")).toBe(TABLE_MIME);
      expect(await tableNode.locator(".lanes-Summary").innerText()).toBe("2 rows × 2 columns");
      expect(await tableNode.locator(".lanes-ColumnName").allTextContents()).toEqual(["x", XSS]);
      expect(await tableNode.locator("tbody tr").count()).toBe(2);
      expect(await tableNode.locator("img").count()).toBe(0);
      expect(await p.evaluate("globalThis.__lanesXss")).toBeUndefined();

      expect(pageErrors.filter((m) => /lanes/i.test(m))).toEqual([]);
      await p.screenshot({ path: join(shots, "jupyterlab-notebook.png") });
    });
  });

  it("draws the executed lesson: a bar per task in a lane per worker, hover, sorting, dark theme", async () => {
    const nb = JSON.parse(readFileSync(join(rootDir, LESSON), "utf8")) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
    const payloads = nb.cells.flatMap((c) => c.outputs ?? []).flatMap((o) => (o.data?.[TIMELINE_MIME] ? [o.data[TIMELINE_MIME] as TimelinePayloadV1] : []));
    // The calls' timeline, uneven work shared out, the live display's final timeline, every call.
    expect(payloads.length).toBe(4);
    const first = decodeSpans(payloads[0]!.spans).filter((s) => s.started !== undefined);

    await withDiagnostics("lesson", async (p) => {
      await openNotebook(p, lab!, LESSON);
      const timelines = p.locator(".jp-OutputArea .lanes-Timeline");
      await expect.poll(() => timelines.count(), { timeout: 30_000 }).toBe(4);
      const timelineNode = timelines.first();
      await timelineNode.locator(".barlayer .point path").first().waitFor();

      // N bars in N lanes: one bar per started task, one lane per worker that ran one.
      const drawn = await barsAndLanes(p);
      expect(drawn.bars).toBe(first.length);
      expect(drawn.lanes).toBe(new Set(first.map((s) => s.worker)).size);
      // Failed tasks stand out in their own colour.
      const failed = first.filter((s) => s.outcome === "error").length;
      expect(failed).toBeGreaterThan(0);
      expect(drawn.fills.filter((f) => f === "rgb(228, 87, 86)").length).toBe(failed);

      await timelineNode.scrollIntoViewIfNeeded();
      await timelineNode.screenshot({ path: join(shots, "timeline-light.png") });
      const tip = await hoverFirstBar(p, timelineNode);
      expect(tip).toMatch(/items \d+–\d+/);
      expect(tip).toContain("queue wait");
      expect(tip).toContain("duration");
      await timelineNode.screenshot({ path: join(shots, "timeline-hover.png") });

      // Clicking a column name sorts the rows by it: ascending, then descending.
      const tableNode = p.locator(".jp-OutputArea .lanes-Table").first();
      await tableNode.scrollIntoViewIfNeeded();
      expect(await tableNode.locator(".lanes-Summary").innerText()).toBe("50,000 rows × 3 columns · the first 200 are in this notebook");
      const header = tableNode.locator(".lanes-ColumnHeader", { hasText: "distance" });
      const distances = async () => (await tableNode.locator("tbody tr td:nth-child(3)").allTextContents()).map(Number);
      await header.locator("button").click();
      expect(await header.getAttribute("aria-sort")).toBe("ascending");
      const up = await distances();
      expect(up.length).toBe(50);
      expect(up).toEqual([...up].sort((a, b) => a - b));
      await header.locator("button").click();
      expect(await header.getAttribute("aria-sort")).toBe("descending");
      const down = await distances();
      expect(down).toEqual([...down].sort((a, b) => b - a));
      expect(down[0]).toBeGreaterThanOrEqual(up[up.length - 1]!);
      await tableNode.screenshot({ path: join(shots, "table-light.png") });

      // Switching JupyterLab to its dark theme redraws every timeline with the dark colours.
      const tickFill = () => p.evaluate<string>(`getComputedStyle(document.querySelector(".jp-OutputArea .lanes-Timeline .ytick text")).fill`);
      const lightFill = await tickFill();
      await p.evaluate("window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' })");
      await p.locator("body[data-jp-theme-light='false']").waitFor({ state: "attached", timeout: 30_000 });
      await expect.poll(() => p.locator(".lanes-Timeline[data-lanes-theme='dark']").count(), { timeout: 15_000 }).toBe(4);
      expect(await tickFill()).not.toBe(lightFill);
      await timelineNode.scrollIntoViewIfNeeded();
      await timelineNode.screenshot({ path: join(shots, "timeline-dark.png") });
      await p.screenshot({ path: join(shots, "lesson-dark.png") });
      await p.evaluate("window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Light' })");
      await p.locator("body[data-jp-theme-light='true']").waitFor({ state: "attached", timeout: 30_000 });
      expect(pageErrors.filter((m) => /lanes|plotly/i.test(m))).toEqual([]);
    });
  });

  it("shows hostile strings from an untrusted notebook as text, in the page and in plotly's labels", async () => {
    await withDiagnostics("xss", async (p) => {
      await openNotebook(p, lab!, HOSTILE);
      const timelineNode = p.locator(".jp-OutputArea .lanes-Timeline");
      await timelineNode.locator(".barlayer .point path").first().waitFor();
      const tableNode = p.locator(".jp-OutputArea .lanes-Table");
      await tableNode.waitFor();

      // Call names in the title are cut to 40 characters (the legend and hover below show them whole).
      expect(await timelineNode.locator(".lanes-Title").innerText()).toContain(`${XSS.slice(0, 39)}…`);
      // The legend (call names) and the hover label (call and error names) show the literal text.
      expect(await timelineNode.locator(".lanes-LegendLabel").allTextContents()).toEqual([XSS, `second ${XSS}`, "failed", "running"]);
      const tip = await hoverFirstBar(p, timelineNode);
      expect(tip).toContain(XSS);
      // A cluster's lane labels on the y axis, as text: the hostile one cut in the middle (its
      // pid/thread end kept), the other whole.
      const ticks = await timelineNode.locator(".ytick text").allTextContents();
      expect(ticks).toHaveLength(2);
      expect(ticks[0]).toMatch(/^<img src=x .*….*:4242\/1 · 90% busy$/);
      expect(ticks[1]).toBe("node-b:977/3 · 80% busy");
      expect(await timelineNode.locator(".lanes-Progress").isVisible()).toBe(true);

      expect(await tableNode.locator(".lanes-ColumnName").allTextContents()).toEqual(["x", XSS]);
      expect(await tableNode.locator(".lanes-Badge").allTextContents()).toEqual(["num", "?"]);
      expect(await tableNode.locator(".lanes-Range").allTextContents()).toEqual(["1 … 2", `${XSS} … ${XSS}`]);
      expect(await tableNode.locator("tbody").innerText()).toContain(XSS);

      // Nothing became an element, no handler ran.
      const injected = await p.evaluate(`document.querySelectorAll('.jp-OutputArea img, .jp-OutputArea b, .lanes-Table a, .lanes-Timeline .hoverlayer a, .lanes-Legend a').length`);
      expect(injected).toBe(0);
      expect(await p.evaluate("globalThis.__lanesXss")).toBeUndefined();
      await p.screenshot({ path: join(shots, "xss.png") });
    });
  });
});
