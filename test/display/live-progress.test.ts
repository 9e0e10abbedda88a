import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startProgress } from "../../src/display/live-progress";
import { TIMELINE_MIME, type TimelinePayloadV1 } from "../../src/wire/mime";
import { SpanRecorder } from "../../src/trace/span-recorder";
import { fakeAdapter } from "./fake-adapter";
import { timelineProblems } from "./schema";

const MIMES = [TIMELINE_MIME, "text/html", "text/plain"];

describe("live progress", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Runs `n` tasks on 2 workers, one task every `stepMs` of fake time, with a progress display. */
  function run(n: number, stepMs: number, options: Parameters<typeof startProgress>[2] = {}) {
    const clock = () => Date.now();
    const rec = new SpanRecorder({ clock });
    const call = rec.beginCall("work", n, 2);
    const ids = Array.from({ length: n }, (_, i) => rec.queued(call, i, i + 1));
    const progress = startProgress(rec, call, { clock, ...options });
    ids.forEach((id, i) => {
      rec.started(id, i % 2, 10 + (i % 2));
      vi.advanceTimersByTime(stepMs);
      rec.finished(id, "ok");
    });
    const timeline = progress.finish();
    return { progress, timeline };
  }

  it("sends at most 10 updates a second, in place, then replaces them with the final timeline", () => {
    const adapter = fakeAdapter();
    // 2000 tasks × 1 ms = 2 s of fake time: ≤ 21 live messages (first display + ≤ 10/s), plus the final.
    const { progress, timeline } = run(2000, 1, { adapter });
    const sent = adapter.sent;
    const live = sent.slice(0, -1);
    console.log(`live progress over 2 s of work: ${live.length} live messages + 1 final (from 4000 recorder events)`);
    expect(live.length).toBeGreaterThanOrEqual(15);
    expect(live.length).toBeLessThanOrEqual(21);
    expect(progress.sent).toBe(sent.length);
    expect(sent[0]!.kind).toBe("display");
    expect(sent.slice(1).every((s) => s.kind === "update")).toBe(true);
    expect(new Set(sent.map((s) => s.id)).size).toBe(1);
    for (const s of sent) expect(Object.keys(s.bundle).sort()).toEqual([...MIMES].sort());
    const payloads = sent.map((s) => s.bundle[TIMELINE_MIME] as TimelinePayloadV1);
    for (const p of payloads) expect(timelineProblems(p)).toEqual([]);
    expect(payloads.slice(0, -1).every((p) => p.live)).toBe(true);
    const final = payloads[payloads.length - 1]!;
    expect(final).toMatchObject({ live: false, done: 2000, total: 2000, omittedSpans: 0 });
    expect(final.spans.count).toBe(2000);
    expect(final.progress).toBeUndefined();
    expect(timeline.count).toBe(2000);
  });

  it("sends the latest state on the trailing edge, and nothing after finish()", () => {
    const adapter = fakeAdapter();
    const rec = new SpanRecorder({ clock: () => Date.now() });
    const call = rec.beginCall("f", 2, 1);
    const a = rec.queued(call, 0, 1);
    const progress = startProgress(rec, call, { adapter, clock: () => Date.now() });
    expect(adapter.sent).toHaveLength(1);
    rec.started(a, 0, 1);
    expect(adapter.sent).toHaveLength(1); // throttled
    vi.advanceTimersByTime(100);
    expect(adapter.sent).toHaveLength(2);
    const p = adapter.sent[1]!.bundle[TIMELINE_MIME] as TimelinePayloadV1;
    expect(p.progress!.lanes[0]).toMatchObject({ state: "busy", items: [0, 1] });
    rec.finished(a, "ok");
    progress.finish();
    progress.finish();
    vi.advanceTimersByTime(1000);
    rec.queued(call, 1, 2);
    vi.advanceTimersByTime(1000);
    expect(adapter.sent).toHaveLength(3);
    expect(adapter.sent[2]!.bundle["text/plain"]).toMatch(/1\/2 items/);
  });

  it("caps the spans carried by live updates", () => {
    const adapter = fakeAdapter();
    run(500, 1, { adapter, maxSpans: 50 });
    const live = adapter.sent.slice(1, -1).map((s) => s.bundle[TIMELINE_MIME] as TimelinePayloadV1);
    expect(live.length).toBeGreaterThan(0);
    for (const p of live) expect(p.spans.count).toBeLessThanOrEqual(50);
    expect(live.some((p) => p.omittedSpans > 0)).toBe(true);
  });

  it("in plain Node draws one line on a TTY stderr, and nothing when stderr is not a TTY", () => {
    const tty: string[] = [];
    run(300, 1, { adapter: fakeAdapter("node"), stream: { isTTY: true, write: (s: string) => tty.push(s) } });
    expect(tty.length).toBeGreaterThan(1);
    expect(tty.length).toBeLessThanOrEqual(6);
    expect(tty.slice(0, -1).every((s) => s.startsWith("\r") && !s.includes("\n"))).toBe(true);
    expect(tty[tty.length - 1]).toMatch(/300\/300 items · done in/);
    expect(tty[tty.length - 1]!.endsWith("\n")).toBe(true);

    const log: string[] = [];
    const adapter = fakeAdapter("node");
    run(300, 1, { adapter, stream: { isTTY: false, write: (s: string) => log.push(s) } });
    expect(log).toEqual([]);
    expect(adapter.sent).toEqual([]);
  });
});
