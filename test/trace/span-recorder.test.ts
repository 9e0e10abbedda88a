import { describe, expect, it } from "vitest";
import { SpanRecorder, UnknownSpanError } from "../../src/trace/span-recorder";

function fakeClock(): { clock: () => number; set(t: number): void } {
  let t = 1000;
  return { clock: () => t, set: (v) => (t = v) };
}

describe("SpanRecorder", () => {
  it("records queued → started → finished with worker, thread, items, outcome and error name", () => {
    const c = fakeClock();
    const rec = new SpanRecorder({ clock: c.clock });
    const call = rec.beginCall("square", 20, 2);
    const a = rec.queued(call, 0, 10);
    const b = rec.queued(call, 10, 20);
    c.set(1002);
    rec.started(a, 0, 7);
    rec.started(b, 1, 8, 1003);
    c.set(1010);
    rec.finished(a, "ok");
    rec.finished(b, "error", "RangeError", 1012);
    const spans = rec.timeline({}, 1012).spans();
    expect(spans).toEqual([
      { worker: 0, threadId: 7, call: 0, queued: 0, started: 2, finished: 10, items: [0, 10], outcome: "ok" },
      { worker: 1, threadId: 8, call: 0, queued: 0, started: 3, finished: 12, items: [10, 20], outcome: "error", error: "RangeError" },
    ]);
    expect(rec.size).toBe(2);
    expect(rec.done(call)).toBe(20);
  });

  it("narrows a task's items when its worker shared part of them out, or handed all of them on", () => {
    const c = fakeClock();
    const rec = new SpanRecorder({ clock: c.clock });
    const call = rec.beginCall("slow", 50, 2);
    const a = rec.queued(call, 0, 50);
    const b = rec.queued(call, 25, 50);
    rec.ranItems(a, 25);
    rec.started(a, 0, 7);
    rec.finished(a, "ok");
    // b's items went to another message before any ran: the span now stands for that message.
    rec.setItems(b, 40, 50);
    rec.started(b, 1, 8);
    rec.finished(b, "ok");
    expect(rec.timeline({}, c.clock()).spans().map((s) => s.items)).toEqual([
      [0, 25],
      [40, 50],
    ]);
    expect(rec.done(call)).toBe(35);
    rec.ranItems(a, 30);
    expect(rec.timeline({}, c.clock()).spans()[0]!.items).toEqual([0, 25]);
  });

  it("shows still-queued and running tasks as such, and counts them as not done", () => {
    const c = fakeClock();
    const rec = new SpanRecorder({ clock: c.clock });
    const call = rec.beginCall("f", 3, 1);
    const ids = [0, 1, 2].map((i) => rec.queued(call, i, i + 1));
    rec.started(ids[0]!, 0, 1);
    rec.finished(ids[0]!, "ok");
    rec.started(ids[1]!, 0, 1);
    const t = rec.timeline();
    expect(t.spans().map((s) => s.outcome)).toEqual(["ok", "running", "queued"]);
    expect(t.live).toBe(true);
    expect(t.done).toBe(1);
    const p = t.progress();
    expect(p.lanes[0]).toMatchObject({ worker: 0, state: "busy", items: [1, 2] });
  });

  it("cancels what is still queued when a call is aborted", () => {
    const rec = new SpanRecorder({ clock: () => 5 });
    const call = rec.beginCall("f", 2, 1);
    const a = rec.queued(call, 0, 1);
    rec.queued(call, 1, 2);
    rec.started(a, 0, 1);
    rec.finished(a, "cancelled");
    rec.cancelQueued(call);
    const spans = rec.timeline().spans();
    expect(spans.map((s) => s.outcome)).toEqual(["cancelled", "cancelled"]);
    expect(spans[1]!.started).toBeUndefined();
    expect(rec.timeline().live).toBe(false);
  });

  it("gives the last call by default, one call on request, or every call with { all: true }", () => {
    const rec = new SpanRecorder({ clock: () => 0 });
    const first = rec.beginCall("first", 1, 1);
    rec.queued(first, 0, 1);
    const second = rec.beginCall("second", 2, 1);
    rec.queued(second, 0, 1);
    rec.queued(second, 1, 2);
    expect(rec.timeline().calls).toEqual(["second"]);
    expect(rec.timeline().count).toBe(2);
    expect(rec.timeline({ call: first }).count).toBe(1);
    const all = rec.timeline({ all: true });
    expect(all.calls).toEqual(["first", "second"]);
    expect(all.spans().map((s) => s.call)).toEqual([0, 1, 1]);
    expect(all.total).toBe(3);
  });

  it("grows past its initial capacity without losing spans", () => {
    const rec = new SpanRecorder({ clock: () => 0 });
    const call = rec.beginCall("f", 1000, 1);
    for (let i = 0; i < 1000; i++) rec.started(rec.queued(call, i, i + 1), 0, 1, i);
    const spans = rec.timeline().spans();
    expect(spans).toHaveLength(1000);
    expect(spans[999]).toMatchObject({ items: [999, 1000], started: 999 });
  });

  it("tells listeners about every event, until they unsubscribe", () => {
    const rec = new SpanRecorder({ clock: () => 0 });
    const seen: number[] = [];
    const off = rec.subscribe((s) => seen.push(s));
    const call = rec.beginCall("f", 1, 1);
    const a = rec.queued(call, 0, 1);
    rec.started(a, 0, 1);
    off();
    rec.finished(a, "ok");
    expect(seen).toEqual([a, a]);
  });

  it("rejects unknown spans and calls with an error that says what to pass", () => {
    const rec = new SpanRecorder();
    expect(() => rec.queued(0, 0, 1)).toThrow(UnknownSpanError);
    expect(() => rec.queued(0, 0, 1)).toThrow(/beginCall/);
    expect(() => rec.started(3, 0, 1)).toThrow(/queued\(\) returned/);
    expect(() => rec.timeline({ call: 4 })).toThrow(UnknownSpanError);
  });

  it("returns an empty timeline before any call", () => {
    const t = new SpanRecorder().timeline();
    expect(t.count).toBe(0);
    expect(t.summary().wallMs).toBe(0);
  });
});
