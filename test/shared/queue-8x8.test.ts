import { describe, expect, it } from "vitest";
import { Process } from "../../src/process";
import { Queue } from "../../src/shared";

// Issue 13: 8 producers × 8 consumers moving 8·10^6 sequence-tagged items through one Queue, each
// producer and consumer a Process of its own. Items are numbers (producer · 2^20 + sequence number),
// the Queue's fastest path, so the test is about the queue, not the codec.
const PRODUCERS = 8;
const CONSUMERS = 8;
const PER_PRODUCER = 1_000_000;
const SHIFT = 2 ** 20; // > PER_PRODUCER

describe("8 producers × 8 consumers", () => {
  it("move 8·10^6 tagged items: every item exactly once, each producer's order kept by every consumer", async () => {
    const q = new Queue<number>({ maxsize: 10_000 });
    // One byte per item, counted by whoever takes it; and per consumer, out-of-order takes seen.
    const seen = new Uint8Array(new SharedArrayBuffer(PRODUCERS * PER_PRODUCER));
    const disorder = new Int32Array(new SharedArrayBuffer(4 * CONSUMERS));
    const produce = (queue: Queue<number>, p: number, n: number, shift: number): void => {
      for (let i = 0; i < n; i++) queue.putSync(p * shift + i);
    };
    const consume = (queue: Queue<number>, marks: Uint8Array, bad: Int32Array, c: number, producers: number, n: number, shift: number): number => {
      const last = new Array<number>(producers).fill(-1);
      let taken = 0;
      for (const x of queue) {
        const p = Math.floor(x / shift);
        const i = x - p * shift;
        // One producer's items leave in the order it put them, so each consumer sees them rising.
        if (i <= last[p]!) bad[c]!++;
        last[p] = i;
        Atomics.add(marks, p * n + i, 1);
        taken++;
      }
      return taken;
    };
    const consumers = Array.from({ length: CONSUMERS }, (_, c) => new Process({ target: consume, args: [q, seen, disorder, c, PRODUCERS, PER_PRODUCER, SHIFT] }));
    const producers = Array.from({ length: PRODUCERS }, (_, p) => new Process({ target: produce, args: [q, p, PER_PRODUCER, SHIFT] }));
    for (const p of [...consumers, ...producers]) p.start();
    expect(await Promise.all(producers.map((p) => p.join()))).toEqual(new Array(PRODUCERS).fill(0));
    q.close();
    expect(await Promise.all(consumers.map((p) => p.join()))).toEqual(new Array(CONSUMERS).fill(0));
    expect(Array.from(disorder)).toEqual(new Array(CONSUMERS).fill(0));
    let missing = 0;
    let twice = 0;
    for (let k = 0; k < seen.length; k++) {
      if (seen[k] === 0) missing++;
      else if (seen[k]! > 1) twice++;
    }
    expect({ missing, twice }).toEqual({ missing: 0, twice: 0 });
    expect(q.qsize()).toBe(0);
  }, 600_000);
});
