import { describe, expect, it } from "vitest";
import { barsFor } from "../src/timeline-bars";
import { idleGaps, toLanes } from "../src/timeline-lanes";
import { manySpans, timelinePayload } from "./fixtures";

describe("toLanes", () => {
  it("puts each started task on its worker's lane, in start order", () => {
    const p = timelinePayload([
      { worker: 1, started: 5, finished: 6 },
      { worker: 0, started: 0, finished: 4 },
      { worker: 1, started: 1, finished: 3 },
    ]);
    const model = toLanes(p);
    expect(model.lanes.map((lane) => lane.map((s) => s.start))).toEqual([[0], [1, 5]]);
    expect(model.end).toBe(6);
  });

  it("draws running tasks up to now and counts queued ones apart", () => {
    const p = timelinePayload(
      [
        { worker: 0, started: 0, finished: 2 },
        { worker: 0, started: 2, outcome: 3 },
        { worker: -1, outcome: 4 },
      ],
      { live: true, summary: { wallMs: 7, busy: [1], parallelism: 1, serialEstimateMs: 7, speedup: 1, queueWaitMs: 0, errors: 0 } },
    );
    const model = toLanes(p);
    expect(model.waiting).toBe(1);
    expect(model.lanes[0]!.map((s) => [s.kind, s.end])).toEqual([
      ["ok", 2],
      ["running", 7],
    ]);
  });

  it("keeps a lane for every worker, even one that ran nothing", () => {
    expect(toLanes(timelinePayload([{ worker: 0, started: 0, finished: 1 }], { workers: 3 })).lanes.length).toBe(3);
  });
});

describe("idleGaps", () => {
  it("finds gaps between tasks and after a lane's last task", () => {
    const model = toLanes(
      timelinePayload([
        { worker: 0, started: 0, finished: 2 },
        { worker: 0, started: 5, finished: 10 },
        { worker: 1, started: 0, finished: 9.5 },
      ]),
    );
    const gaps = idleGaps(model, 1);
    expect(gaps).toMatchObject({ count: 1, totalMs: 3, longestMs: 3, longestLane: 0, longestAt: 2 });
  });
});

describe("barsFor", () => {
  it("draws one bar per task while there are few", () => {
    const model = toLanes(timelinePayload(manySpans(100, 4)));
    const bars = barsFor(model.lanes, { range: [0, model.end], widthPx: 800 });
    expect(bars.length).toBe(100);
    expect(bars.every((b) => b.batches === 1)).toBe(true);
  });

  it("merges 10^5 tasks into a few thousand bars, and never hides a failure", () => {
    const specs = manySpans(100_000, 8);
    const model = toLanes(timelinePayload(specs));
    const bars = barsFor(model.lanes, { range: [0, model.end], widthPx: 1000 });
    expect(bars.length).toBeLessThanOrEqual(3000);
    expect(bars.reduce((n, b) => n + b.batches, 0)).toBe(100_000);
    const failedTasks = specs.filter((s) => s.outcome === 1).length;
    const failedBars = bars.filter((b) => b.kind === "error");
    expect(failedBars.length).toBeGreaterThan(0);
    expect(failedBars.length).toBeLessThanOrEqual(failedTasks);
    // Every failed task sits inside a bar drawn as failed.
    for (const [i, s] of specs.entries()) {
      if (s.outcome !== 1) continue;
      const home = bars.find((b) => b.lane === s.worker && b.start <= s.started! && b.end >= s.finished!);
      expect(home?.kind, `task ${i}`).toBe("error");
    }
  });

  it("zoomed in far enough, shows every task in view on its own again", () => {
    const model = toLanes(timelinePayload(manySpans(100_000, 8)));
    const bars = barsFor(model.lanes, { range: [100, 150], widthPx: 1000 });
    expect(bars.every((b) => b.batches === 1)).toBe(true);
    // The range plus half a range width either side: 100 ms of 1 ms tasks on 8 lanes.
    expect(bars.length).toBeGreaterThan(780);
    expect(bars.length).toBeLessThan(830);
  });
});

describe("barsFor at a middle zoom", () => {
  it("keeps tasks that are several pixels wide as their own bars", () => {
    // 10^4 tasks of 0.9 ms; 40 ms in view on 1000 px: each task is over 20 px wide.
    const model = toLanes(timelinePayload(manySpans(10_000, 2)));
    const bars = barsFor(model.lanes, { range: [1000, 1040], widthPx: 1000, exactUpTo: 10 });
    expect(bars.length).toBeGreaterThan(100);
    expect(bars.every((b) => b.batches === 1)).toBe(true);
  });
});
