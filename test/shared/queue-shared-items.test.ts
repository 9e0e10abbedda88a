import { describe, expect, it } from "vitest";
import { Process } from "../../src/process";
import { Lock, Queue, SharedArrayFactory, Value, type SharedArray, type SharedValue } from "../../src/shared";
import { cells, release, whenSet } from "../process/helpers";

// Issue 13: shared objects inside queue items arrive as the same shared objects, across threads.
interface Bundle {
  counter: SharedValue<"i">;
  lock: Lock;
  slots: [SharedArray<"d">];
  replies: Queue<string>;
  label: string;
}

/** Takes one Bundle from `q`, changes everything in it, reports through `a` (1 when done). */
const useBundle = (q: Queue<Bundle>, a: Int32Array, k: number): void => {
  const b = q.getSync();
  b.lock.withLock(() => (b.counter.value += k));
  b.slots[0][0] = k;
  b.replies.putSync(`${b.label} seen by ${k}`);
  Atomics.store(a, k, 1);
  Atomics.notify(a, k);
};

describe("shared objects inside queue items", () => {
  it("a Value, Lock, Array and Queue in a record arrive shared: a Process's changes through them are seen by the kernel", async () => {
    const q = new Queue<Bundle>();
    const counter = Value("i", 0);
    const lock = new Lock();
    const slots: [SharedArray<"d">] = [SharedArrayFactory("d", 2)];
    const replies = new Queue<string>();
    const a = cells(4);
    // One Process holds the queue before the items are put (it hears their buffers broadcast), one
    // only after (the queue it is given carries them).
    const early = new Process({ target: useBundle, args: [q, a, 1] });
    early.start();
    await q.put({ counter, lock, slots, replies, label: "first" });
    await q.put({ counter, lock, slots, replies, label: "second" });
    await whenSet(a, 1);
    const late = new Process({ target: useBundle, args: [q, a, 2] });
    late.start();
    await whenSet(a, 2);
    expect(await Promise.all([early.join(), late.join()])).toEqual([0, 0]);
    expect(counter.value).toBe(3);
    expect([1, 2]).toContain(slots[0][0]);
    expect([await replies.get(), await replies.get()].sort()).toEqual(["first seen by 1", "second seen by 2"]);
    expect(q.empty()).toBe(true);
  });

  it("a Value made in a Process and put on a queue: the kernel's write through the received Value is seen by the Process", async () => {
    const q = new Queue<{ v: SharedValue<"i">; tag: string }[]>();
    const a = cells(4);
    // A new Value made in the Process (through the class of one it was given: the target cannot import).
    const maker = (queue: Queue<{ v: SharedValue<"i">; tag: string }[]>, f: Int32Array, seed: SharedValue<"i">): void => {
      const v = new (seed.constructor as typeof SharedValue<"i">)("i", 7, null);
      queue.putSync([{ v, tag: "made in a Process" }]);
      Atomics.wait(f, 1, 0); // until the kernel wrote
      Atomics.store(f, 2, v.value);
    };
    const seed = Value("i", 0);
    const p = new Process({ target: maker, args: [q, a, seed] });
    p.start();
    const [{ v, tag }] = (await q.get()) as [{ v: SharedValue<"i">; tag: string }];
    expect(v.view.buffer === seed.view.buffer).toBe(false);
    expect([v.value, tag]).toEqual([7, "made in a Process"]);
    v.value = 42;
    release(a, 1);
    expect(await p.join()).toBe(0);
    expect(Atomics.load(a, 2)).toBe(42);
  });

  it("on one thread too: the same Lock comes back, plain items beside it are unchanged", async () => {
    const q = new Queue<unknown>();
    const lock = new Lock();
    await q.put([lock, { n: 1, s: "x", d: new Date(0) }, new Map([[1, 2]])]);
    const [back, rest, map] = (await q.get()) as [Lock, unknown, Map<number, number>];
    expect(back.buffer).toBe(lock.buffer);
    lock.acquire();
    expect(back.acquire({ blocking: false })).toBe(false);
    lock.release();
    expect(rest).toEqual({ n: 1, s: "x", d: new Date(0) });
    expect(map.get(1)).toBe(2);
  });
});
