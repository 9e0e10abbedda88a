import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AggregateTaskError, RemoteError } from "../../src/errors";
import { Pool } from "../../src/pool";
import type { SpanV1 } from "../../src/wire/mime";
import { blockUntilReleased, newFlag, release, started } from "../helpers/handshake";

// Work sharing (src/pool/claims.ts): a worker that runs dry takes the unclaimed back half of a
// busy worker's message. In these maps the first item of a chunk waits until the last item of the
// same chunk has run: without sharing the worker holding the chunk would wait for itself, so the
// tests cannot pass unless another worker took part of the chunk — on any machine, at any load.

/**
 * Per input index: how many times a task ran it. Also the gates: a task waiting for item `j` waits
 * on word `j`, which item `j` bumps when it runs. The pool's initializer hands it to each worker.
 */
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

/** An item; `waitFor`: the index of an item this one waits for (-1: none). */
interface Item {
  i: number;
  waitFor: number;
}

/** What a task says: which item, which worker ran it, and how its wait ended ("ok", "not-equal" or "timed-out"). */
interface Ran {
  i: number;
  worker: number;
  waited: string;
}

/** Waits (10 s at most) for item `waitFor` to have run, counts the run of item `i`, says which worker ran it. */
function gated(item: Item): Ran {
  const runs = (globalThis as Record<string, unknown>).lanesRunCounts as Int32Array;
  const waited = item.waitFor < 0 ? "none" : Atomics.wait(runs, item.waitFor, 0, 10_000);
  Atomics.add(runs, item.i, 1);
  Atomics.notify(runs, item.i);
  return { i: item.i, worker: ((globalThis as Record<string, unknown>).lanesWorkerTag ??= Math.random()) as number, waited };
}

/** `n` items; item `first` waits for item `last` (the first and last items of one chunk). */
function chunkWaitsForItsEnd(n: number, first: number, last: number): Item[] {
  return Array.from({ length: n }, (_, i) => ({ i, waitFor: i === first ? last : -1 }));
}

function covered(spans: SpanV1[]): number[] {
  return spans.flatMap((s) => Array.from({ length: s.items[1] - s.items[0] }, (_, k) => s.items[0] + k)).sort((a, b) => a - b);
}

describe("work sharing", () => {
  it("hands the unclaimed back of a blocked worker's chunk to the other worker, running every item exactly once", async () => {
    counts.fill(0);
    // CPython's default chunksize here is 50: items 0–49 form one chunk, and item 0 waits for item 49.
    const items = chunkWaitsForItsEnd(400, 0, 49);
    const out = await pool.map(gated, items);
    expect(out.map((r) => r.i)).toEqual(items.map((x) => x.i));
    expect(Array.from(counts.subarray(0, 400))).toEqual(Array(400).fill(1));
    expect(out[0]!.waited).not.toBe("timed-out");
    expect(out[49]!.worker).not.toBe(out[0]!.worker);
  });

  it("keeps imap in input order and imapUnordered complete", async () => {
    counts.fill(0);
    const items = chunkWaitsForItsEnd(200, 0, 24);
    const ordered: Ran[] = [];
    for await (const r of pool.imap(gated, items, 25)) ordered.push(r);
    expect(ordered.map((r) => r.i)).toEqual(items.map((x) => x.i));
    expect(ordered[0]!.waited).not.toBe("timed-out");
    counts.fill(0);
    const unordered: Ran[] = [];
    for await (const r of pool.imapUnordered(gated, items, 25)) unordered.push(r);
    expect(unordered.map((r) => r.i).sort((a, b) => a - b)).toEqual(items.map((x) => x.i));
    expect(unordered.find((r) => r.i === 0)!.waited).not.toBe("timed-out");
    expect(Array.from(counts.subarray(0, 200))).toEqual(Array(200).fill(1));
  });

  it("shares async task functions too", async () => {
    counts.fill(0);
    // Item 0 awaits item 31 without blocking its thread; its worker still runs one item at a time.
    const later = async (item: Item) => {
      const runs = (globalThis as Record<string, unknown>).lanesRunCounts as Int32Array;
      const atomics = Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, ms: number): { async: boolean; value: Promise<string> | string } };
      let waited = "none";
      if (item.waitFor >= 0) {
        const { value } = atomics.waitAsync(runs, item.waitFor, 0, 10_000);
        waited = await value;
      }
      Atomics.add(runs, item.i, 1);
      Atomics.notify(runs, item.i);
      return `${item.i * 2} ${waited}`;
    };
    const items = chunkWaitsForItsEnd(64, 0, 31);
    const out = await pool.map(later, items, 32);
    expect(out.map((r) => Number(r.split(" ")[0]))).toEqual(items.map((x) => x.i * 2));
    expect(out[0]).not.toMatch(/timed-out/);
  });

  it("reports an error in a shared-out part at its input index", async () => {
    const failAt = (item: Item) => {
      const runs = (globalThis as Record<string, unknown>).lanesRunCounts as Int32Array;
      if (item.waitFor >= 0 && Atomics.wait(runs, item.waitFor, 0, 10_000) === "timed-out") throw new Error("never shared");
      Atomics.add(runs, item.i, 1);
      Atomics.notify(runs, item.i);
      if (item.i === 6) throw new RangeError("six");
      return item.i;
    };
    // Chunks of 13: item 0 waits for item 6, which only another worker can run (and fail).
    const items = chunkWaitsForItsEnd(100, 0, 6);
    counts.fill(0);
    const error = (await pool.map(failAt, items).then(() => undefined, (e: unknown) => e)) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.index).toBe(6);
    expect(error.message).toContain("six");
    counts.fill(0);
    const agg = (await pool.map(failAt, items, { stopOnError: false }).then(() => undefined, (e: unknown) => e)) as AggregateTaskError<number>;
    expect(agg).toBeInstanceOf(AggregateTaskError);
    expect(agg.errors.map((e) => e.index)).toEqual([6]);
    expect(agg.results).toEqual(items.map((x) => (x.i === 6 ? undefined : x.i)));
  });

  it("draws each shared-out part as a span of its own: spans tile the input, none overlap", async () => {
    counts.fill(0);
    await pool.map(gated, chunkWaitsForItsEnd(400, 0, 49));
    const spans = pool.timeline().spans();
    expect(covered(spans)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    const first = spans.filter((s) => s.items[0] < 50);
    expect(first.length).toBeGreaterThan(1);
    expect(new Set(first.map((s) => s.worker)).size).toBe(2);
  });

  it("shares with a worker that another call frees", async () => {
    // Both workers held by other calls (each task proves its worker is up and running).
    const a = newFlag();
    const b = newFlag();
    const holdA = pool.apply(blockUntilReleased, [a]);
    const holdB = pool.apply(blockUntilReleased, [b]);
    await Promise.all([started(a), started(b)]);
    release(b);
    await holdB;
    // One message of 50 items goes to the worker just freed; item 0 waits for item 49, which only
    // the other worker can run, once the call holding it ends.
    counts.fill(0);
    const call = pool.map(gated, chunkWaitsForItsEnd(50, 0, 49), 50);
    release(a);
    await holdA;
    const out = await call;
    expect(out[0]!.waited).not.toBe("timed-out");
    expect(out[49]!.worker).not.toBe(out[0]!.worker);
    expect(Array.from(counts.subarray(0, 50))).toEqual(Array(50).fill(1));
  });
});
