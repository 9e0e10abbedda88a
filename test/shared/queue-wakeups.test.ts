import { describe, expect, it } from "vitest";
import { Process } from "../../src/process";
import { Barrier, Queue } from "../../src/shared";

// Lost wake-ups: a consumer that went to sleep on an empty queue must wake for the next item meant for
// it. Each round, one producer puts one item per consumer and every consumer takes exactly one, then
// all meet at a barrier: a consumer left asleep beside its item stops the round. The guards (the
// barrier's timeout, the consumers' get timeout, far beyond any round) then fail every party with an
// exit code instead of hanging the test. Rounds are many and short so that consumers often sleep and
// wake at the moment an item arrives. Two first versions of the ring's take-all-counts wake-up failed
// here: one (the waker bumped the word before taking the counts and woke only as many as it took; a
// sleeper counted itself before reading the word) beside two busy loops, a stand-alone run of it
// within 500 rounds; the next (counts exchanged to zero, a sleeper's own count given back unless the
// word had moved) only in a full clean-clone run with two busy loops beside it.
const CONSUMERS = 3;
const GUARD_MS = 60_000;

const produce = (q: Queue<number>, barrier: Barrier, rounds: number, consumers: number): void => {
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < consumers; i++) q.putSync(r);
    barrier.wait();
  }
};

const consume = (q: Queue<number>, barrier: Barrier, rounds: number, guard: number): number => {
  let sum = 0;
  for (let r = 0; r < rounds; r++) {
    sum += q.getSync({ timeout: guard });
    barrier.wait();
  }
  return sum;
};

describe("Queue wake-ups", () => {
  it("consumers blocked in getSync all wake for their items, round after round", async () => {
    const rounds = 20_000;
    const q = new Queue<number>();
    const barrier = new Barrier(CONSUMERS + 1, { timeout: GUARD_MS });
    const sums = new Int32Array(new SharedArrayBuffer(4 * CONSUMERS));
    const consumers = Array.from(
      { length: CONSUMERS },
      (_, c) =>
        new Process({
          target: (queue: Queue<number>, b: Barrier, n: number, out: Int32Array, k: number, guard: number) => {
            out[k] = consume(queue, b, n, guard);
          },
          args: [q, barrier, rounds, sums, c, GUARD_MS],
        }),
    );
    const producer = new Process({ target: produce, args: [q, barrier, rounds, CONSUMERS] });
    for (const p of [...consumers, producer]) p.start();
    const codes = await Promise.all([producer, ...consumers].map((p) => p.join()));
    expect(codes).toEqual(new Array(CONSUMERS + 1).fill(0));
    // Each consumer took one item of every round: 0 + 1 + … + (rounds − 1).
    expect(Array.from(sums)).toEqual(new Array(CONSUMERS).fill((rounds * (rounds - 1)) / 2));
    expect(q.qsize()).toBe(0);
  }, 300_000);

  it("the kernel's await get wakes beside blocked workers, round after round", async () => {
    const rounds = 3_000;
    const q = new Queue<number>();
    // The kernel is one of the consumers: parties are the producer, the worker consumers and the kernel.
    const barrier = new Barrier(CONSUMERS + 1, { timeout: GUARD_MS });
    const workers = Array.from({ length: CONSUMERS - 1 }, () => new Process({ target: consume, args: [q, barrier, rounds, GUARD_MS] }));
    const producer = new Process({ target: produce, args: [q, barrier, rounds, CONSUMERS] });
    for (const p of [...workers, producer]) p.start();
    let sum = 0;
    for (let r = 0; r < rounds; r++) {
      sum += await q.get({ timeout: GUARD_MS });
      await barrier.waitAsync();
    }
    const codes = await Promise.all([producer, ...workers].map((p) => p.join()));
    expect(codes).toEqual(new Array(CONSUMERS).fill(0));
    expect(sum).toBe((rounds * (rounds - 1)) / 2);
    expect(q.qsize()).toBe(0);
  }, 300_000);
});
