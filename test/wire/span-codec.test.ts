import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeSpans } from "../../src/wire/span-codec";
import type { SpanV1 } from "../../src/wire/mime";
import { Timeline } from "../../src/trace/timeline";
import { simulate } from "../trace/simulate";
import { timelineProblems } from "../display/schema";

const micro = fc.integer({ min: 0, max: 5_000_000 }).map((us) => us / 1000);
const span: fc.Arbitrary<SpanV1> = fc
  .record({
    worker: fc.integer({ min: 0, max: 7 }),
    threadId: fc.integer({ min: 1, max: 40 }),
    call: fc.integer({ min: 0, max: 3 }),
    queued: micro,
    wait: micro,
    duration: micro,
    first: fc.integer({ min: 0, max: 1000 }),
    count: fc.integer({ min: 0, max: 50 }),
    outcome: fc.constantFrom("ok", "error", "cancelled", "running", "queued" as const),
    neverStarted: fc.boolean(),
    error: fc.string(),
  })
  .map((r): SpanV1 => {
    const started = r.outcome === "queued" || (r.outcome === "cancelled" && r.neverStarted) ? undefined : r.queued + r.wait;
    const s: SpanV1 = { worker: started === undefined ? -1 : r.worker, threadId: started === undefined ? -1 : r.threadId, call: r.call, queued: r.queued, items: [r.first, r.first + r.count], outcome: r.outcome };
    if (started !== undefined) s.started = started;
    if (started !== undefined && r.outcome !== "running") s.finished = started + r.duration;
    if (r.outcome === "error") s.error = r.error;
    return s;
  });

/** What survives the round trip: times at microsecond precision, thread ids per lane as they were. */
function normalise(s: SpanV1): SpanV1 {
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  const out: SpanV1 = { ...s, queued: round(s.queued) };
  if (s.started !== undefined) out.started = round(s.started);
  if (s.finished !== undefined && s.started !== undefined) out.finished = round(s.started) + Math.round((s.finished - s.started) * 1000) / 1000;
  return out;
}

describe("span column encoding", () => {
  it("carries Process exit codes as [span, code] pairs, only when some span has one", () => {
    const spans: SpanV1[] = [
      { worker: 0, threadId: 3, call: 0, queued: 0, started: 1, finished: 2, items: [0, 1], outcome: "ok", exitCode: 0 },
      { worker: 1, threadId: 4, call: 1, queued: 0, started: 1, finished: 3, items: [0, 1], outcome: "cancelled", exitCode: -15 },
      { worker: 2, threadId: 5, call: 2, queued: 0, started: 1, items: [0, 1], outcome: "running" },
    ];
    const payload = Timeline.fromSpans(spans).toPayload();
    expect(payload.spans.exitCodes).toEqual([0, 0, 1, -15]);
    expect(decodeSpans(payload.spans).map((s) => s.exitCode)).toEqual([0, -15, undefined]);
    expect(timelineProblems(payload)).toEqual([]);
  });

  it("decodes to the spans it encoded (any order, outcome, gap, thread change)", () => {
    fc.assert(
      fc.property(fc.array(span, { maxLength: 60 }), (spans) => {
        const decoded = Timeline.fromSpans(spans).spans();
        expect(decoded).toHaveLength(spans.length);
        decoded.forEach((d, i) => {
          const want = normalise(spans[i]!);
          expect(d.worker).toBe(want.worker);
          expect(d.threadId).toBe(want.threadId);
          expect(d.call).toBe(want.call);
          expect(d.items).toEqual(want.items);
          expect(d.outcome).toBe(want.outcome);
          expect(d.error).toBe(want.error);
          expect(d.queued).toBeCloseTo(want.queued, 6);
          if (want.started === undefined) expect(d.started).toBeUndefined();
          else expect(d.started).toBeCloseTo(want.started, 6);
          if (want.finished === undefined) expect(d.finished).toBeUndefined();
          else expect(d.finished).toBeCloseTo(want.finished, 6);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("decodes a payload that left out its oldest spans", () => {
    const { recorder } = simulate({ n: 500, workers: 4, chunk: 3 });
    const all = recorder.timeline().spans();
    const payload = recorder.timeline().toPayload({ maxSpans: 100 });
    expect(payload.omittedSpans).toBe(400);
    expect(payload.spans.count).toBe(100);
    const tail = decodeSpans(payload.spans);
    tail.forEach((s, i) => {
      const want = all[400 + i]!;
      expect(s.items).toEqual(want.items);
      expect(s.worker).toBe(want.worker);
      expect(s.threadId).toBe(want.threadId);
      expect(s.started).toBeCloseTo(want.started!, 3);
    });
  });

  it("fits 10^5 spans in well under 2 MB", () => {
    const { recorder } = simulate({ n: 100_000, workers: 8, failEvery: 10_000 });
    const payload = recorder.timeline().toPayload();
    expect(timelineProblems(payload)).toEqual([]);
    const bytes = Buffer.byteLength(JSON.stringify(payload));
    console.log(`10^5 spans (8 workers, 1 item each, ~10–60 µs tasks): ${(bytes / 1e6).toFixed(2)} MB of JSON payload`);
    expect(bytes).toBeLessThan(2_000_000);
  });
});
