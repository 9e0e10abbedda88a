import { describe, expect, it } from "vitest";
import { Timeline } from "lanes/dist/trace/timeline";
import { barsFor } from "../src/timeline-bars";
import { hoverText } from "../src/timeline-hover";
import { titleText } from "../src/timeline-summary";
import { toLanes } from "../src/timeline-lanes";

describe("hover text", () => {
  it("gives a Process's run time, start-up and exit code, in Process words; a pool task has no exit code", () => {
    // What Process.timeline() sends: one lane and one call per Process, named after it, the exit code per span.
    const processes = Timeline.fromSpans(
      [
        { worker: 0, threadId: 4, call: 0, queued: 0, started: 3, finished: 40, items: [0, 1], outcome: "ok", exitCode: 0 },
        { worker: 1, threadId: 5, call: 1, queued: 1, started: 4, finished: 20, items: [0, 1], outcome: "error", error: "nonzero exit", exitCode: 3 },
      ],
      { calls: ["loader", "parser"], laneLabels: ["loader", "parser"], kind: "processes", total: 2 },
    ).toPayload();
    const model = toLanes(processes);
    const hovers = barsFor(model.lanes, { range: [0, model.end], widthPx: 800 }).map((b) => hoverText(b, processes.calls, processes.laneLabels, processes.kind));
    expect(hovers[0]).toBe("<b>loader</b><br>ran 37.0 ms: 3.0 ms → 40.0 ms<br>start-up 3.0 ms<br>exit code 0");
    expect(hovers[1]).toMatch(/<b>parser<\/b> · error: nonzero exit[\s\S]*exit code 3/);
    for (const h of hovers) expect(h).not.toMatch(/batch|item|worker/);
    expect(titleText(processes)).toBe("loader, parser · 2 processes · 2/2 finished");

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
