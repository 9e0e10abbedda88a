import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { now } from "../../src/trace/clock";

describe("now()", () => {
  it("is epoch milliseconds with sub-millisecond resolution that never goes backwards", () => {
    expect(Math.abs(now() - Date.now())).toBeLessThan(1000);
    let prev = now();
    let fractional = false;
    for (let i = 0; i < 10_000; i++) {
      const t = now();
      expect(t).toBeGreaterThanOrEqual(prev);
      if (!Number.isInteger(t)) fractional = true;
      prev = t;
    }
    expect(fractional).toBe(true);
  });

  it("is comparable with a worker thread's reading (the spans' clock is shared)", async () => {
    const before = now();
    // The same formula as src/trace/clock.ts and src/worker/entry.ts, evaluated in a worker.
    const worker = new Worker("require('node:worker_threads').parentPort.postMessage(performance.timeOrigin + performance.now())", { eval: true });
    const inWorker = await new Promise<number>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    const after = now();
    await worker.terminate();
    // timeOrigin is rounded differently per thread: allow a millisecond of slack.
    expect(inWorker).toBeGreaterThanOrEqual(before - 1);
    expect(inWorker).toBeLessThanOrEqual(after + 1);
  });
});
