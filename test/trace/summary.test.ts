import { describe, expect, it } from "vitest";
import { Timeline } from "../../src/trace/timeline";

describe("timeline summary", () => {
  // Two workers; queued at 0, start-up until 10; w0 busy 10–30 and 30–50, w1 busy 10–40.
  const t = Timeline.fromSpans(
    [
      { worker: 0, threadId: 1, call: 0, queued: 0, started: 10, finished: 30, items: [0, 1], outcome: "ok" },
      { worker: 1, threadId: 2, call: 0, queued: 0, started: 10, finished: 40, items: [1, 2], outcome: "ok" },
      { worker: 0, threadId: 1, call: 0, queued: 0, started: 30, finished: 50, items: [2, 3], outcome: "error", error: "TypeError" },
    ],
    { calls: ["f"], workers: 2 },
  );
  const s = t.summary();

  it("measures wall time from the first task queued to the last finished", () => {
    expect(s.wallMs).toBe(50);
  });
  it("gives each worker's busy share of the wall time", () => {
    expect(s.busy).toEqual([40 / 50, 30 / 50]);
  });
  it("estimates serial time as the sum of task durations, and speedup against the wall time", () => {
    expect(s.serialEstimateMs).toBe(70);
    expect(s.speedup).toBeCloseTo(70 / 50);
  });
  it("gives effective parallelism over the time work actually ran", () => {
    expect(s.parallelism).toBeCloseTo(70 / 40);
  });
  it("adds up queue wait and counts failures", () => {
    expect(s.queueWaitMs).toBe(10 + 10 + 30);
    expect(s.errors).toBe(1);
  });
  it("counts a running task as busy up to the snapshot time", () => {
    const live = Timeline.fromSpans([{ worker: 0, threadId: 1, call: 0, queued: 0, started: 0, items: [0, 1], outcome: "running" }], { asOf: 25, workers: 1 });
    expect(live.summary()).toMatchObject({ wallMs: 25, busy: [1], serialEstimateMs: 25 });
    expect(live.live).toBe(true);
  });
});
