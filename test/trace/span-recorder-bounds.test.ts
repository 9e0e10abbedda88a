import { describe, expect, it } from "vitest";
import { SpanRecorder, UnknownSpanError } from "../../src/trace/span-recorder";

describe("SpanRecorder memory bounds (a pool that lives as long as the kernel)", () => {
  it("keeps at most maxSpans spans, forgetting the oldest, and ignores late events for forgotten ones", () => {
    let t = 0;
    const rec = new SpanRecorder({ clock: () => t++, maxSpans: 100 });
    const call = rec.beginCall("long", 1000, 2);
    const spans: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const s = rec.queued(call, i, i + 1);
      spans.push(s);
      rec.started(s, i % 2, 7);
      rec.finished(s, i % 50 === 49 ? "error" : "ok", "RangeError");
    }
    expect(rec.size).toBeLessThanOrEqual(100);
    expect(new Set(spans).size).toBe(1000);
    // An event for a span forgotten meanwhile is dropped, not an error.
    expect(() => rec.finished(spans[0]!, "ok")).not.toThrow();
    expect(() => rec.finished(5000, "ok")).toThrow(UnknownSpanError);
    const timeline = rec.timeline();
    expect(timeline.count).toBe(rec.size);
    const kept = timeline.spans();
    expect(kept[kept.length - 1]!.items).toEqual([999, 1000]);
    expect(kept.filter((s) => s.outcome === "error").every((s) => (s.items[0] + 1) % 50 === 0)).toBe(true);
  });

  it("keeps at most maxCalls calls, with their spans", () => {
    const rec = new SpanRecorder({ clock: () => 0, maxCalls: 8 });
    let last = -1;
    for (let c = 0; c < 100; c++) {
      last = rec.beginCall(`call${c}`, 1, 1);
      rec.finished(rec.queued(last, 0, 1), "ok");
    }
    expect(last).toBe(99);
    expect(rec.calls.length).toBeLessThanOrEqual(8);
    expect(rec.size).toBeLessThanOrEqual(8);
    const all = rec.timeline({ all: true });
    expect(all.calls[all.calls.length - 1]).toBe("call99");
    expect(all.count).toBe(all.calls.length);
    expect(rec.timeline({ call: 99 }).calls).toEqual(["call99"]);
    expect(() => rec.timeline({ call: 0 })).toThrow(/forgotten/);
  });
});
