import { describe, expect, it } from "vitest";
import { Timeline } from "lanes/dist/trace/timeline";
import { barsFor } from "../src/timeline-bars";
import { hoverText } from "../src/timeline-hover";
import { toLanes } from "../src/timeline-lanes";

describe("hover text", () => {
  it("gives a Process's exit code; a pool task has none", () => {
    // What Process.timeline() sends: one lane and one call per Process, the exit code per span.
    const processes = Timeline.fromSpans(
      [
        { worker: 0, threadId: 4, call: 0, queued: 0, started: 3, finished: 40, items: [0, 1], outcome: "ok", exitCode: 0 },
        { worker: 1, threadId: 5, call: 1, queued: 1, started: 4, finished: 20, items: [0, 1], outcome: "error", error: "nonzero exit", exitCode: 3 },
      ],
      { calls: ["loader", "parser"] },
    ).toPayload();
    const model = toLanes(processes);
    const hovers = barsFor(model.lanes, { range: [0, model.end], widthPx: 800 }).map((b) => hoverText(b, processes.calls));
    expect(hovers[0]).toContain("exit code 0");
    expect(hovers[1]).toMatch(/<b>parser<\/b> · error: nonzero exit[\s\S]*exit code 3/);

    const pool = Timeline.fromSpans([{ worker: 0, threadId: 4, call: 0, queued: 0, started: 1, finished: 2, items: [0, 10], outcome: "ok" }]).toPayload();
    const poolModel = toLanes(pool);
    const [bar] = barsFor(poolModel.lanes, { range: [0, poolModel.end], widthPx: 800 });
    expect(hoverText(bar!, pool.calls)).not.toContain("exit code");
  });

  it("ends with the lane's name: `worker N` locally, the lane's label on a cluster, cut nowhere", () => {
    const long = "a-rather-long-host-name.cluster.example.org:1234567/12";
    const payload = Timeline.fromSpans([{ worker: 0, threadId: 0, call: 0, queued: 0, started: 1, finished: 2, items: [0, 10], outcome: "ok" }], { laneLabels: [long] }).toPayload();
    const model = toLanes(payload);
    const [bar] = barsFor(model.lanes, { range: [0, model.end], widthPx: 800 });
    expect(hoverText(bar!, payload.calls, payload.laneLabels).split("<br>").at(-1)).toBe(long);
    expect(hoverText(bar!, payload.calls).split("<br>").at(-1)).toBe("worker 0");
  });
});
