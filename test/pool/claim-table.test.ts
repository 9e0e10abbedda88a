import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { CLAIM_SLOTS, MAX_SHARED_ITEMS, NO_CLAIM, claim } from "../../src/pool/claims";
import { ClaimTable } from "../../src/pool/claim-table";

describe("ClaimTable", () => {
  it("lets the worker claim from the front until its share ends", () => {
    const t = new ClaimTable();
    const slot = t.open(10);
    expect(claim(t.table, slot, 3)).toBe(3);
    expect(claim(t.table, slot, 3)).toBe(6);
    expect(t.unclaimed(slot)).toBe(4);
    expect(claim(t.table, slot, 100)).toBe(10);
    expect(claim(t.table, slot, 1)).toBe(10);
    expect(t.close(slot, 10)).toBe(10);
  });

  it("takes the back half of a running message, down to its last unclaimed item", () => {
    const t = new ClaimTable();
    const slot = t.open(10);
    claim(t.table, slot, 2); // running items 0–1
    expect(t.share(slot)).toEqual([6, 10]);
    expect(t.share(slot)).toEqual([4, 6]);
    expect(t.share(slot)).toEqual([3, 4]);
    expect(t.share(slot)).toEqual([2, 3]);
    expect(t.share(slot)).toBeUndefined();
    expect(claim(t.table, slot, 5)).toBe(2); // the worker finds nothing more
    expect(t.close(slot, 10)).toBe(2);
  });

  it("takes a message whole when it waits behind another, and leaves one item to a worker about to start", () => {
    const t = new ClaimTable();
    const waiting = t.open(7);
    expect(t.share(waiting, true)).toEqual([0, 7]);
    expect(claim(t.table, waiting, 1)).toBe(0);
    const starting = t.open(7);
    expect(t.share(starting)).toEqual([4, 7]);
    expect(t.share(starting)).toEqual([2, 4]);
    expect(t.share(starting)).toEqual([1, 2]);
    expect(t.share(starting)).toBeUndefined();
    const single = t.open(1);
    expect(t.share(single)).toBeUndefined();
    expect(t.share(single, true)).toEqual([0, 1]);
  });

  it("shares nothing it cannot index, and runs out of slots gracefully", () => {
    const t = new ClaimTable();
    expect(t.open(0)).toBe(NO_CLAIM);
    expect(t.open(MAX_SHARED_ITEMS + 1)).toBe(NO_CLAIM);
    expect(t.share(NO_CLAIM)).toBeUndefined();
    expect(t.close(NO_CLAIM, 123)).toBe(123);
    const slots = Array.from({ length: CLAIM_SLOTS }, () => t.open(MAX_SHARED_ITEMS));
    expect(new Set(slots).size).toBe(CLAIM_SLOTS);
    expect(slots.includes(NO_CLAIM)).toBe(false);
    expect(t.open(5)).toBe(NO_CLAIM);
    // A closed slot is free again, with a fresh word.
    t.close(slots[0]!, MAX_SHARED_ITEMS);
    const again = t.open(5);
    expect(again).toBe(slots[0]);
    expect(t.unclaimed(again)).toBe(5);
  });

  it("never hands an item to two threads: the worker claims while the kernel shares out", async () => {
    const t = new ClaimTable();
    const n = 60_000;
    const slot = t.open(n);
    const claimsModule = join(__dirname, "../../dist/pool/claims.js");
    // The owner claims blocks of 1–7 items and reports the ranges it got.
    const source = `
      const { workerData, parentPort } = require("node:worker_threads");
      const { claim } = require(${JSON.stringify(claimsModule)});
      const { table, slot } = workerData;
      const got = [];
      let from = 0;
      for (let k = 0; ; k++) {
        const to = claim(table, slot, 1 + (k % 7));
        if (to <= from) break;
        got.push([from, to]);
        from = to;
        // A little work per claim, as a task would do: the kernel gets to share out while it runs.
        const until = performance.now() + 0.002;
        while (performance.now() < until);
      }
      parentPort.postMessage(got);`;
    const worker = new Worker(source, { eval: true, workerData: { table: t.table, slot } });
    const answer = new Promise<[number, number][]>((resolve, reject) => worker.once("message", resolve).once("error", reject));
    // Share out only once the worker is claiming: a message nobody has begun could go whole.
    const deadline = Date.now() + 10_000;
    while (t.unclaimed(slot) === n && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    const sharedOut: [number, number][] = [];
    for (let i = 0; i < 5000 && t.unclaimed(slot) > 0; i++) {
      const part = t.share(slot, i % 3 === 0);
      if (part) sharedOut.push(part);
    }
    const claimed = await answer;
    await worker.terminate();
    const end = t.close(slot, n);
    const seen = new Uint8Array(n);
    for (const [from, to] of [...claimed, ...sharedOut]) for (let i = from; i < to; i++) seen[i]!++;
    expect(sharedOut.length).toBeGreaterThan(0);
    expect(Math.max(...claimed.map(([, to]) => to))).toBe(end);
    expect(Array.from(seen).every((x) => x === 1)).toBe(true);
  });
});
