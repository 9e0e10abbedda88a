import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setDisplayAdapter } from "../../src/display/current-adapter";
import { TIMELINE_MIME, type TimelinePayloadV1 } from "../../src/wire/mime";
import { Pool } from "../../src/pool";
import { fakeAdapter } from "../display/fake-adapter";
import { timelineProblems } from "../display/schema";

let pool: Pool;
beforeAll(() => {
  pool = new Pool(2);
});
afterAll(() => pool.terminate());
afterEach(() => setDisplayAdapter(undefined));

/** Keeps a worker busy for `ms` (a stand-in for real work). */
const work = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
  return ms;
};

describe("{ progress: true }", () => {
  it("pool.map sends live updates in place, at most 10 a second, and ends with the final timeline", async () => {
    const adapter = fakeAdapter();
    setDisplayAdapter(adapter);
    const t0 = performance.now();
    const out = await pool.map(work, Array<number>(100).fill(8), { chunksize: 1, progress: true });
    const seconds = (performance.now() - t0) / 1000;
    expect(out).toHaveLength(100);
    const sent = adapter.sent;
    const live = sent.slice(0, -1);
    console.log(`pool.map progress over ${seconds.toFixed(2)} s: ${live.length} live messages + 1 final`);
    // ~0.4 s of work on 2 workers: several updates, never more than 10 a second (plus the first).
    expect(live.length).toBeGreaterThanOrEqual(2);
    expect(live.length).toBeLessThanOrEqual(1 + Math.ceil(seconds * 10));
    expect(sent[0]!.kind).toBe("display");
    expect(sent.slice(1).every((s) => s.kind === "update")).toBe(true);
    expect(new Set(sent.map((s) => s.id)).size).toBe(1);
    const payloads = sent.map((s) => s.bundle[TIMELINE_MIME] as TimelinePayloadV1);
    for (const p of payloads) expect(timelineProblems(p)).toEqual([]);
    expect(payloads.slice(0, -1).every((p) => p.live)).toBe(true);
    expect(payloads[payloads.length - 1]).toMatchObject({ live: false, done: 100, total: 100, omittedSpans: 0 });
    expect(payloads[payloads.length - 1]!.spans.count).toBe(pool.timeline().count);
  });

  it("imap and imapUnordered show progress too, and it ends when the loop ends", async () => {
    for (const ordered of [true, false]) {
      const adapter = fakeAdapter();
      setDisplayAdapter(adapter);
      const items = Array<number>(30).fill(5);
      let n = 0;
      const it = ordered ? pool.imap(work, items, { progress: true }) : pool.imapUnordered(work, items, { progress: true });
      for await (const _ of it) n++;
      expect(n).toBe(30);
      // No wait: the final timeline is out by the time the loop ends.
      const last = adapter.sent[adapter.sent.length - 1]!.bundle[TIMELINE_MIME] as TimelinePayloadV1;
      expect(last).toMatchObject({ live: false, done: 30, total: 30 });
    }
  });

  it("shows nothing without progress: true", async () => {
    const adapter = fakeAdapter();
    setDisplayAdapter(adapter);
    await pool.map(work, [1, 1, 1]);
    expect(adapter.sent).toHaveLength(0);
  });

  it("ends with the final timeline when the call fails", async () => {
    const adapter = fakeAdapter();
    setDisplayAdapter(adapter);
    const boom = (x: number) => {
      if (x === 3) throw new TypeError("bad");
      return x;
    };
    await expect(pool.map(boom, [1, 2, 3, 4], { chunksize: 1, progress: true })).rejects.toThrow(/bad/);
    const last = adapter.sent[adapter.sent.length - 1]!.bundle[TIMELINE_MIME] as TimelinePayloadV1;
    expect(last.live).toBe(false);
  });
});
