import { describe, expect, it } from "vitest";
import { timelineHtml } from "../../src/display/timeline-html";
import { timelineText } from "../../src/display/timeline-text";
import { Timeline } from "../../src/trace/timeline";
import { KERNEL_LANE, type TimelinePayloadV1, type WaitV1 } from "../../src/wire/mime";
import { decodeSpans } from "../../src/wire/span-codec";
import { decodeTracks, decodeWaits, encodeTrack, encodeWaits } from "../../src/wire/wait-codec";
import { timelineProblems } from "../display/schema";

const waits: WaitV1[] = [
  { lane: 0, kind: "Lock", object: 3, start: 1.5, end: 41.5 },
  { lane: 1, kind: "RLock", object: 1, start: 2, end: 4.25 },
  { lane: KERNEL_LANE, kind: "Event", object: 2, start: 10, end: 30 },
  { lane: 1, kind: "Barrier", object: 1, start: 50, end: 50.001 },
];

function withExtras(): Timeline {
  return Timeline.fromSpans(
    [
      { worker: 0, threadId: 1, call: 0, queued: 0, started: 1, finished: 60, items: [0, 10], outcome: "ok" },
      { worker: 1, threadId: 2, call: 0, queued: 0, started: 1, finished: 60, items: [10, 20], outcome: "ok" },
    ],
    { calls: ["work"], extras: { waits, lostWaits: 0, tracks: [{ name: "tasks", maxsize: 8, everyMs: 2, samples: [[0, 0], [5, 8], [40, 3]] }] } },
  );
}

describe("waits and depth tracks on the wire", () => {
  it("round-trip through their column form (µs precision)", () => {
    expect(decodeWaits(encodeWaits(waits))).toEqual(waits);
    const [track] = decodeTracks({ tracks: [encodeTrack("tasks", 8, 2, [[0, 0], [5.5, 8], [40, 3]])] } as TimelinePayloadV1);
    expect(track).toEqual({ name: "tasks", maxsize: 8, everyMs: 2, times: [0, 5.5, 40], depths: [0, 8, 3], peak: 8 });
  });

  it("an older payload (no waits, no tracks) decodes to none and renders as before", () => {
    const old = Timeline.fromSpans([{ worker: 0, threadId: 1, call: 0, queued: 0, started: 1, finished: 2, items: [0, 1], outcome: "ok" }]).toPayload();
    expect(old.waits).toBeUndefined();
    expect(old.tracks).toBeUndefined();
    expect(decodeWaits(old.waits)).toEqual([]);
    expect(decodeTracks(old)).toEqual([]);
    // Hand-edited junk under the new fields draws nothing rather than throwing.
    expect(decodeWaits({ count: 3, lane: null } as never)).toEqual([]);
    expect(decodeTracks({ ...old, tracks: [null, { name: "x" }] } as never)).toEqual([]);
    const html = timelineHtml(old, decodeSpans(old.spans));
    expect(html).not.toContain("lanes-wait");
    expect(html).not.toContain("lanes-depth");
    expect(timelineText(old)).not.toContain("lock waits");
    expect(timelineText(old)).not.toContain("depth");
  });

  it("the summary gives total and longest lock wait and what it waited on; other waits apart", () => {
    const s = withExtras().summary();
    expect(s).toMatchObject({ lockWaits: 2, lockWaitMs: 42.25, longestLockWaitMs: 40, longestLockWaitOn: "Lock#3", otherWaits: 2 });
    expect(s.otherWaitMs).toBeCloseTo(20.001, 6);
    const text = timelineText(withExtras().toPayload());
    expect(text).toContain("lock waits 42.3 ms total, longest 40.0 ms on Lock#3 (2 waits)");
    expect(text).toContain("condition/event/barrier waits 20.0 ms total (2 waits)");
    expect(text).toContain("tasks depth (maxsize 8): peak 8, last 3");
  });

  it("SVG: wait marks in their colours on their lanes (the kernel's below the workers), a legend, a depth track", () => {
    const p = withExtras().toPayload();
    expect(timelineProblems(p)).toEqual([]);
    const html = timelineHtml(p, decodeSpans(p.spans));
    expect(html.match(/class="lanes-wait"/g)).toHaveLength(4);
    expect(html).toContain(">kernel</text>");
    expect(html).toContain("waited 40.0 ms on Lock#3");
    expect(html).toContain("waiting for a lock");
    expect(html).toContain("waiting on a condition, event or barrier");
    expect(html.match(/class="lanes-depth"/g)).toHaveLength(1);
    expect(html).toContain("tasks depth (maxsize 8): peak 8");
  });

  it("keeps the SVG small however many waits there are (marks under a pixel apart merge)", () => {
    const many: WaitV1[] = Array.from({ length: 100_000 }, (_, i) => ({ lane: i % 2, kind: "Lock", object: 1, start: i * 0.01, end: i * 0.01 + 0.005 }));
    const t = Timeline.fromSpans([{ worker: 0, threadId: 1, call: 0, queued: 0, started: 0, finished: 1000, items: [0, 1], outcome: "ok" }], { extras: { waits: many, lostWaits: 0, tracks: [] } });
    const p = t.toPayload();
    const html = timelineHtml(p, decodeSpans(p.spans));
    expect((html.match(/class="lanes-wait"/g) ?? []).length).toBeLessThan(50);
    expect(html.length).toBeLessThan(30_000);
  });
});
