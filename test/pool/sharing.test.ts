import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AggregateTaskError, RemoteError } from "../../src/errors";
import { Pool } from "../../src/pool";
import type { SpanV1 } from "../../src/wire/mime";

// Work sharing (src/pool/claims.ts): a worker that runs dry takes the unclaimed back half of a
// busy worker's message. These maps put every slow item in the first chunk, so without sharing one
// worker would run all of them.

/** Per input index: how many times a task ran it (the pool's initializer hands the shared array to each worker). */
const counts = new Int32Array(new SharedArrayBuffer(4 * 4096));
let pool: Pool;
beforeAll(() => {
  pool = new Pool({
    processes: 2,
    initializer: (shared: Int32Array) => {
      (globalThis as Record<string, unknown>).lanesRunCounts = shared;
    },
    initargs: [counts],
  });
});
afterAll(() => pool.terminate());

/** Busy for `ms`, counts the run of item `i`, and says which worker ran it. */
function slow(item: { i: number; ms: number }): { i: number; worker: number } {
  const end = performance.now() + item.ms;
  while (performance.now() < end);
  Atomics.add((globalThis as Record<string, unknown>).lanesRunCounts as Int32Array, item.i, 1);
  return { i: item.i, worker: ((globalThis as Record<string, unknown>).lanesWorkerTag ??= Math.random()) as number };
}

/** `n` items; the first `heavy` take `ms` each, the rest a tenth of a millisecond. */
function skewed(n: number, heavy: number, ms: number): { i: number; ms: number }[] {
  return Array.from({ length: n }, (_, i) => ({ i, ms: i < heavy ? ms : 0.1 }));
}

function covered(spans: SpanV1[]): number[] {
  return spans.flatMap((s) => Array.from({ length: s.items[1] - s.items[0] }, (_, k) => s.items[0] + k)).sort((a, b) => a - b);
}

describe("work sharing", () => {
  it("spreads a chunk full of slow items over both workers, running every item exactly once", async () => {
    counts.fill(0);
    // 8 × 50 ms against 392 × 0.1 ms: the second worker runs dry long before the first is through.
    const items = skewed(400, 8, 50);
    // CPython's default chunksize here is 50: items 0–49 (all 8 slow ones) form one chunk.
    const out = await pool.map(slow, items);
    expect(out.map((r) => r.i)).toEqual(items.map((x) => x.i));
    expect(Array.from(counts.subarray(0, 400))).toEqual(Array(400).fill(1));
    expect(new Set(out.slice(0, 8).map((r) => r.worker)).size).toBe(2);
  });

  it("keeps imap in input order and imapUnordered complete", async () => {
    counts.fill(0);
    const items = skewed(200, 6, 15);
    const ordered: number[] = [];
    for await (const r of pool.imap(slow, items, 25)) ordered.push(r.i);
    expect(ordered).toEqual(items.map((x) => x.i));
    const unordered: number[] = [];
    for await (const r of pool.imapUnordered(slow, items, 25)) unordered.push(r.i);
    expect(unordered.sort((a, b) => a - b)).toEqual(items.map((x) => x.i));
    expect(Array.from(counts.subarray(0, 200))).toEqual(Array(200).fill(2));
  });

  it("shares async task functions too", async () => {
    const later = async (item: { i: number; ms: number }) => {
      await new Promise((resolve) => setTimeout(resolve, item.ms));
      return item.i * 2;
    };
    const items = skewed(64, 8, 15);
    await expect(pool.map(later, items, 32)).resolves.toEqual(items.map((x) => x.i * 2));
  });

  it("reports an error in a shared-out part at its input index", async () => {
    const failAt = (item: { i: number; ms: number }) => {
      const end = performance.now() + item.ms;
      while (performance.now() < end);
      if (item.i === 6) throw new RangeError("six");
      return item.i;
    };
    const items = skewed(100, 8, 15);
    const error = (await pool.map(failAt, items).then(() => undefined, (e: unknown) => e)) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.index).toBe(6);
    const agg = (await pool.map(failAt, items, { stopOnError: false }).then(() => undefined, (e: unknown) => e)) as AggregateTaskError<number>;
    expect(agg).toBeInstanceOf(AggregateTaskError);
    expect(agg.errors.map((e) => e.index)).toEqual([6]);
    expect(agg.results).toEqual(items.map((x) => (x.i === 6 ? undefined : x.i)));
  });

  it("draws each shared-out part as a span of its own: spans tile the input, none overlap", async () => {
    await pool.map(slow, skewed(400, 8, 50));
    const spans = pool.timeline().spans();
    expect(covered(spans)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    const first = spans.filter((s) => s.items[0] < 50);
    expect(first.length).toBeGreaterThan(1);
    expect(new Set(first.map((s) => s.worker)).size).toBe(2);
  });
});
