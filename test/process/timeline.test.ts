import { describe, expect, it } from "vitest";
import { decodeSpans } from "../../src/wire/span-codec";
import { Process, show, Timeline, TIMELINE_MIME, type TimelinePayloadV1 } from "../../src";
import { now } from "../../src/trace/clock";
import { fakeAdapter } from "../display/fake-adapter";
import { timelineProblems } from "../display/schema";
import { cells, stderrOf, whenSet } from "./helpers";

describe("Process timelines", () => {
  it("one lane per Process from start() to exit: failures red (error), terminated grey (cancelled), exit codes in the tooltip", async () => {
    const mark = now();
    const gate = cells();
    const ok = new Process({ target: () => 1, name: "ok-one" });
    const thrower = new Process({
      target: () => {
        throw new TypeError("bad row");
      },
      name: "thrower",
    });
    const exiter = new Process({ target: () => process.exit(3), name: "exiter" });
    const blocked = new Process({
      target: (g: Int32Array) => {
        Atomics.store(g, 0, 1);
        Atomics.notify(g, 0);
        Atomics.wait(g, 1, 0);
      },
      args: [gate],
      name: "blocked",
    });
    await stderrOf(async () => {
      for (const p of [ok, thrower, exiter, blocked]) p.start();
      await Promise.all([ok, thrower, exiter].map((p) => p.join()));
    });
    await whenSet(gate, 0);
    // The kernel hears of the start from the thread's "started" message, posted before the target ran
    // but dispatched by the event loop, which can come after the gate is seen: let the loop turn (no
    // timer) until it has. A lane that never turned running fails the test at its timeout.
    const outcomes = () => decodeSpans(Process.timeline({ since: mark }).toPayload().spans).map((s) => s.outcome);
    while (outcomes()[3] === "queued") await new Promise((resolve) => setImmediate(resolve));

    // While one still runs, its lane is running and has no exit code yet.
    const live = Process.timeline({ since: mark }).toPayload();
    expect(live.calls).toEqual(["ok-one", "thrower", "exiter", "blocked"]);
    const liveSpans = decodeSpans(live.spans);
    expect(liveSpans.map((s) => s.outcome)).toEqual(["ok", "error", "error", "running"]);
    expect(liveSpans[3]!.exitCode).toBeUndefined();

    await blocked.terminate();
    const payload = Process.timeline([ok, thrower, exiter, blocked]).toPayload();
    expect(timelineProblems(payload)).toEqual([]);
    expect(payload.workers).toBe(4);
    const spans = decodeSpans(payload.spans);
    expect(spans.map((s) => [s.worker, s.call, s.outcome, s.exitCode, s.error])).toEqual([
      [0, 0, "ok", 0, undefined],
      [1, 1, "error", 1, "TypeError"],
      [2, 2, "error", 3, "nonzero exit"],
      [3, 3, "cancelled", -15, undefined],
    ]);
    expect(spans.map((s) => s.threadId)).toEqual([ok, thrower, exiter, blocked].map((p) => p.threadId));
    for (const s of spans) expect(s.queued <= s.started! && s.started! <= s.finished!).toBe(true);
    expect(payload.summary.errors).toBe(2);
    // Its lanes are the Processes, named after them; its words are Processes', not a pool's batches.
    expect(payload.kind).toBe("processes");
    expect(payload.laneLabels).toEqual(["ok-one", "thrower", "exiter", "blocked"]);
    const text = Process.timeline([ok, thrower, exiter, blocked]).toString();
    expect(text).toMatch(/^Lanes timeline · ok-one, thrower, exiter and 1 more process · 4 processes · 3\/4 finished\n/);
    expect(text).toContain("start-up per process");
    expect(text).toContain("processes failed 2");
    expect(text).not.toMatch(/batch|worker \d/);
    expect(text).toMatch(/^exiter {2}\S+ +\d+% busy$/m);

    // Selection: the given Processes, or those started since a mark.
    const later = now();
    const last = new Process({ target: () => 0, name: "after-mark" });
    last.start();
    await last.join();
    expect(Process.timeline({ since: later }).calls).toEqual(["after-mark"]);
    expect(Process.timeline([last, ok]).calls).toEqual(["ok-one", "after-mark"]);
    expect(Process.timeline().calls).toEqual(expect.arrayContaining(["ok-one", "after-mark"]));

    // show() draws it: the Lanes MIME type, and an HTML fallback whose tooltips give the exit codes.
    const adapter = fakeAdapter();
    show(Process.timeline([ok, thrower, exiter, blocked]), { adapter });
    const bundle = adapter.sent[0]!.bundle;
    expect((bundle[TIMELINE_MIME] as TimelinePayloadV1).calls).toEqual(["ok-one", "thrower", "exiter", "blocked"]);
    const html = bundle["text/html"] as string;
    expect(html).toMatch(/exiter: .*\(error: nonzero exit, exit code 3\)/);
    expect(html).toMatch(/thrower: .*\(error: TypeError, exit code 1\)/);
    expect(html).toMatch(/blocked: .*\(cancelled, exit code -15\)/);
    expect(html).toContain("4 processes · 3/4 finished");
    expect(html).toContain("Each bar is a Process");
    expect(html).not.toMatch(/batch|worker \d|items? \d/);
  });

  it("a pool timeline's wire payload has no exitCodes column (older readers see what they saw)", () => {
    const pool = Timeline.fromSpans([{ worker: 0, threadId: 1, call: 0, queued: 0, started: 1, finished: 2, items: [0, 4], outcome: "ok" }]);
    expect("exitCodes" in pool.toPayload().spans).toBe(false);
    expect("kind" in pool.toPayload()).toBe(false);
    expect(decodeSpans(pool.toPayload().spans)[0]).not.toHaveProperty("exitCode");
  });
});
