import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AggregateTaskError } from "../../src/errors";
import { Pool } from "../../src/pool";
import { TRACING } from "../../src/pool/tracing";
import { blockUntilReleased, newFlag, started } from "../helpers/handshake";
import type { SpanV1 } from "../../src/wire/mime";
import { DISPLAY } from "../../src/display/bundle";
import { BAR_MEANING } from "../../src/wire/timeline-labels";

let pool: Pool;
beforeAll(() => {
  pool = new Pool(2);
});
afterAll(() => pool.terminate());

/** Items covered by `spans`, sorted: every input index once when the spans tile the input. */
function covered(spans: SpanV1[]): number[] {
  return spans.flatMap((s) => Array.from({ length: s.items[1] - s.items[0] }, (_, k) => s.items[0] + k)).sort((a, b) => a - b);
}

describe("pool spans and timelines", () => {
  it("records one span per task of a map: lane, thread, worker-measured times, item range, outcome", async () => {
    const items = Array.from({ length: 400 }, (_, i) => i);
    await pool.map((x: number) => x + 1, items, 10);
    const timeline = pool.timeline();
    const spans = timeline.spans();
    expect(timeline.calls).toHaveLength(1);
    expect(timeline.total).toBe(400);
    expect(timeline.done).toBe(400);
    expect(timeline.live).toBe(false);
    expect(covered(spans)).toEqual(items);
    const threads = new Set(pool.threadIds);
    for (const s of spans) {
      expect(s.outcome).toBe("ok");
      expect(s.worker).toBeGreaterThanOrEqual(0);
      expect(s.worker).toBeLessThan(2);
      expect(threads.has(s.threadId)).toBe(true);
      expect(s.queued).toBeLessThanOrEqual(s.started! + 1);
      expect(s.started!).toBeLessThanOrEqual(s.finished!);
    }
  });

  it("a span is a batch, not a chunk, and every rendering says so", async () => {
    // chunksize 1: Python would count 5,000 tasks; tiny items travel many to a message instead.
    const items = Array.from({ length: 5000 }, (_, i) => i);
    await pool.map((x: number) => x + 1, items, 1);
    const timeline = pool.timeline();
    expect(covered(timeline.spans())).toEqual(items);
    expect(timeline.count).toBeLessThan(items.length);
    const bundle = timeline[DISPLAY]();
    expect(bundle["text/plain"]).toContain(` · ${timeline.count} batches on 2 workers · `);
    expect(bundle["text/html"]).toContain(`${timeline.count} batches on 2 workers`);
    expect(bundle["text/html"]).toContain(BAR_MEANING);
  });

  it("gives the last call by default and every call with { all: true }", async () => {
    await pool.map(function first(x: number) { return x; }, [1, 2, 3]);
    await pool.starmap(function second(a: number, b: number) { return a + b; }, [[1, 2], [3, 4]]);
    expect(pool.timeline().calls).toEqual(["second"]);
    const all = pool.timeline({ all: true });
    expect(all.calls.slice(-2)).toEqual(["first", "second"]);
    expect(all.total).toBeGreaterThanOrEqual(5);
  });

  it("marks failed tasks with the error's name", async () => {
    const picky = (x: number) => {
      if (x % 10 === 3) throw new RangeError(`no ${x}`);
      return x;
    };
    await expect(pool.map(picky, Array.from({ length: 40 }, (_, i) => i), { chunksize: 5, stopOnError: false })).rejects.toBeInstanceOf(AggregateTaskError);
    const spans = pool.timeline().spans();
    const failed = spans.filter((s) => s.outcome === "error");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((s) => s.error === "RangeError")).toBe(true);
    expect(covered(spans)).toHaveLength(40);
  });

  it("leaves nothing queued or running after an aborted call", async () => {
    const controller = new AbortController();
    // Every item blocks its worker until released, which never happens: only the abort ends them.
    const flag = newFlag();
    const call = pool.map(blockUntilReleased, Array<Int32Array>(40).fill(flag), { chunksize: 1, signal: controller.signal });
    await started(flag);
    controller.abort();
    await expect(call).rejects.toThrow(/aborted/);
    const timeline = pool.timeline();
    expect(timeline.live).toBe(false);
    const outcomes = new Set(timeline.spans().map((s) => s.outcome));
    expect(outcomes.has("cancelled")).toBe(true);
    expect(timeline.done).toBeLessThan(40);
  });

  it("records imap tasks, and the total of a generator as it is read", async () => {
    function* gen() {
      for (let i = 0; i < 50; i++) yield i;
    }
    let sum = 0;
    for await (const r of pool.imap((x: number) => x * 2, gen(), 5)) sum += r;
    expect(sum).toBe(2450);
    const timeline = pool.timeline();
    expect(timeline.total).toBe(50);
    expect(timeline.done).toBe(50);
    expect(covered(timeline.spans())).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("records nothing with the internal tracing switch off (the overhead bench compares against it)", async () => {
    await pool.map(function traced(x: number) { return x; }, [1, 2]);
    pool[TRACING] = false;
    try {
      await pool.map(function untraced(x: number) { return x; }, [1, 2]);
      expect(pool.timeline().calls).toEqual(["traced"]);
    } finally {
      pool[TRACING] = true;
    }
  });

  it("keeps workers on their lanes when maxTasksPerChild recycles them", async () => {
    const recycling = new Pool({ processes: 2, maxTasksPerChild: 2 });
    try {
      await recycling.map((x: number) => x, Array.from({ length: 40 }, (_, i) => i), 1);
      const spans = recycling.timeline().spans();
      expect(new Set(spans.map((s) => s.threadId)).size).toBeGreaterThan(2);
      expect(spans.every((s) => s.worker === 0 || s.worker === 1)).toBe(true);
    } finally {
      await recycling.terminate();
    }
  });
});
