import { afterEach, describe, expect, it } from "vitest";
import { Queue } from "../../src/shared";
import { forgetDepthTracks, trackDepth } from "../../src/trace/depth-track";
import { SpanRecorder } from "../../src/trace/span-recorder";

afterEach(() => forgetDepthTracks());

describe("trackDepth", () => {
  it("records changes of qsize() and draws them on timelines over their window", async () => {
    const q = new Queue<number>({ maxsize: 10 });
    const rec = new SpanRecorder();
    const call = rec.beginCall("fill", 1, 1);
    const span = rec.queued(call, 0, 1);
    rec.started(span, 0, 1);
    const tracker = trackDepth(q, { name: "tasks" });
    expect(tracker.samples().map(([, d]) => d)).toEqual([0]);
    for (let i = 0; i < 3; i++) q.putNowait(i);
    // Building a timeline samples once more: the depth now is in it.
    const t = rec.timeline();
    expect(t.extras.tracks).toHaveLength(1);
    const [track] = t.extras.tracks;
    expect(track!.name).toBe("tasks");
    expect(track!.maxsize).toBe(10);
    expect(track!.samples.map(([, d]) => d)).toEqual([0, 3]);
    expect(t.toPayload().tracks?.[0]?.depth).toEqual([0, 3]);
    await q.get();
    tracker.stop();
    expect(tracker.stopped).toBe(true);
    expect(tracker.samples().map(([, d]) => d)).toEqual([0, 3, 2]);
    rec.finished(span, "ok");
    expect(rec.timeline().toString()).toContain("tasks depth (maxsize 10): peak 3, last 2");
  });

  it("names tracks Queue#1, Queue#2 …; tracking again returns the same tracker; a stopped track stays out of later windows", () => {
    const a = trackDepth(new Queue());
    const q = new Queue();
    const b = trackDepth(q);
    expect([a.name, b.name]).toEqual(["Queue#1", "Queue#2"]);
    expect(trackDepth(q)).toBe(b);
    a.stop();
    b.stop();
    const rec = new SpanRecorder();
    const call = rec.beginCall("later", 1, 1, performance.timeOrigin + performance.now() + 1000);
    rec.queued(call, 0, 1, performance.timeOrigin + performance.now() + 1000);
    expect(rec.timeline().extras.tracks).toEqual([]);
  });

  it("refuses what has no qsize() and a bad interval", () => {
    expect(() => trackDepth({} as never)).toThrow(/qsize/);
    expect(() => trackDepth(new Queue(), { every: 0 })).toThrow(RangeError);
  });
});
