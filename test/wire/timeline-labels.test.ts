/**
 * Lane labels in the v1 timeline payload (`laneLabels`, added after v1 shipped): a cluster pool's
 * timeline names its lanes `host:pid/threadId`; a local pool's payload has no such field and its
 * lanes read `worker N`, as in older saved notebooks.
 */
import { describe, expect, it } from "vitest";
import { Timeline } from "../../src/trace/timeline";
import { SpanRecorder } from "../../src/trace/span-recorder";
import { shortLabel, workerLabel } from "../../src/wire/timeline-labels";

describe("workerLabel", () => {
  it("reads `worker N` without labels, the lane's label with them", () => {
    expect(workerLabel(3)).toBe("worker 3");
    expect(workerLabel(1, ["box:11/1", "box:12/2"])).toBe("box:12/2");
  });

  it("falls back to `worker N` for a lane past the labels, an empty label, or a saved payload's junk", () => {
    expect(workerLabel(2, ["box:11/1"])).toBe("worker 2");
    expect(workerLabel(0, [""])).toBe("worker 0");
    expect(workerLabel(0, [null as unknown as string])).toBe("worker 0");
    expect(workerLabel(0, [42 as unknown as string])).toBe("worker 0");
  });
});

describe("shortLabel", () => {
  it("keeps a label that fits, cuts a longer one in the middle keeping the pid and thread", () => {
    expect(shortLabel("box:12/2", 8)).toBe("box:12/2");
    const cut = shortLabel("a-very-long-host-name.example.org:123456/7", 20);
    expect(cut).toHaveLength(20);
    expect(cut.endsWith(":123456/7")).toBe(true);
    expect(cut.startsWith("a-very-lo")).toBe(true);
    expect(cut).toContain("…");
  });
});

describe("the payload's laneLabels", () => {
  const spans = [
    { worker: 0, threadId: 0, call: 0, queued: 0, started: 1, finished: 5, items: [0, 10] as [number, number], outcome: "ok" as const },
    { worker: 1, threadId: 1, call: 0, queued: 0, started: 2, finished: 6, items: [10, 20] as [number, number], outcome: "ok" as const },
  ];

  it("is absent for a timeline without labels (a local pool): the payload is as it was", () => {
    const payload = Timeline.fromSpans(spans).toPayload();
    expect("laneLabels" in payload).toBe(false);
  });

  it("carries the labels given, by lane, and survives JSON (a saved notebook)", () => {
    const payload = Timeline.fromSpans(spans, { laneLabels: ["box:11/1", "box:12/1"] }).toPayload();
    expect(JSON.parse(JSON.stringify(payload)).laneLabels).toEqual(["box:11/1", "box:12/1"]);
  });

  it("a recorder's labels go into every timeline it builds, as of the snapshot (a hole reads as empty)", () => {
    const rec = new SpanRecorder();
    const names: string[] = [];
    rec.laneLabels = names;
    const call = rec.beginCall("f", 2, 2);
    names[0] = "box:11/1";
    names[2] = "box:13/1";
    const span = rec.queued(call, 0, 1);
    rec.started(span, 2, 2);
    rec.finished(span, "ok");
    const payload = rec.timeline().toPayload();
    expect(payload.laneLabels).toEqual(["box:11/1", "", "box:13/1"]);
    // A later label does not change a timeline already built.
    names[1] = "box:12/1";
    expect(payload.laneLabels).toEqual(["box:11/1", "", "box:13/1"]);
    expect(rec.timeline().toPayload().laneLabels).toEqual(["box:11/1", "box:12/1", "box:13/1"]);
  });
});
