import { describe, expect, it } from "vitest";
import { EXIT_KILLED, EXIT_TERMINATED, LockOwnerDiedError } from "../../src";
import { Process } from "../../src/process";
import { Lock, Queue } from "../../src/shared";
import { cells, release, whenSet } from "../process/helpers";

// Issue 14 point 10: a Process ended in the middle of a queue's put or get, and one killed holding a
// Lock. Targets run in the Process's thread and reach the ring's internals by number (they cannot
// import this file's modules): the put lock is the mutex at word 0, the get lock the one at word 16,
// the data area starts at byte 256 (src/shared/ring.ts).

/** Takes the ring lock at `base` as a put or get does, says so in a[0], then blocks until ended. */
const holdRingLock = (q: Queue, a: Int32Array, base: number, scribble: boolean): void => {
  const ring = (q as unknown as { ring: { lockNow(b: number, c: string, t: string): void; words: Int32Array; buffer: SharedArrayBuffer } }).ring;
  ring.lockNow(base, "test", "test");
  if (scribble) {
    // What a put stopped mid-copy leaves: bytes past the tail (word 2) that no count covers.
    const tail = ring.words[2]!;
    new Uint8Array(ring.buffer, 256 + tail, 16).fill(0xff);
  }
  Atomics.store(a, 0, 1);
  Atomics.notify(a, 0);
  Atomics.wait(a, 1, 0);
};

describe("a Process ended in the middle of a queue operation", () => {
  it("terminated holding the put lock mid-copy: consumers were never blocked, the waiting put goes on, nothing torn", async () => {
    const q = new Queue<string>({ bytes: 1024 });
    await q.put("first");
    const a = cells();
    const p = new Process({ target: holdRingLock, args: [q, a, 0, true] });
    p.start();
    await whenSet(a, 0);
    const putting = q.put("second");
    // The get side has a lock of its own: a stuck producer does not stop consumers.
    expect(q.getNowait()).toBe("first");
    const getting = q.get();
    expect(await p.terminate()).toBe(EXIT_TERMINATED);
    await putting;
    expect(await getting).toBe("second");
    expect(q.qsize()).toBe(0);
    for (let i = 0; i < 50; i++) q.putNowait(`item ${i}`);
    for (let i = 0; i < 50; i++) expect(q.getNowait()).toBe(`item ${i}`);
    expect(q.empty()).toBe(true);
  });

  it("ended after a put's bytes were copied and journaled, before its commit: the kernel completes the put", async () => {
    const q = new Queue<string>({ bytes: 1024 });
    await q.put("before");
    const a = cells();
    // A put stopped between its journal and its commit (white box: src/shared/ring.ts's word layout).
    const target = (queue: Queue, f: Int32Array): void => {
      const ring = (queue as unknown as { ring: { lockNow(b: number, c: string, t: string): void; words: Int32Array; buffer: SharedArrayBuffer } }).ring;
      ring.lockNow(0, "test", "test");
      const w = ring.words;
      const body = new TextEncoder().encode("journaled");
      const tail = w[2]!;
      const d = new Uint8Array(ring.buffer, 256 + tail, 5 + body.length);
      d.set([body.length, 0, 0, 0, 3]); // length, then tag 3 (UTF-8)
      d.set(body, 5);
      w[6] = tail + d.length; // PJ_TAIL
      w[8] = w[4]! + d.length; // PJ_BYTES
      w[7] = w[3]! + 1; // PJ_PUTS
      w[5] = 1; // PJ_FLAG: committing
      Atomics.store(f, 0, 1);
      Atomics.notify(f, 0);
      Atomics.wait(f, 1, 0);
    };
    const p = new Process({ target, args: [q, a] });
    p.start();
    await whenSet(a, 0);
    expect(q.qsize()).toBe(1);
    await p.kill();
    expect(p.exitCode).toBe(EXIT_KILLED);
    expect(q.qsize()).toBe(2);
    expect(await q.get()).toBe("before");
    expect(await q.get()).toBe("journaled");
    await q.put("after");
    expect(q.getNowait()).toBe("after");
  });

  it("terminated holding the get lock: its item stays in the queue, the waiting get takes it, producers went on", async () => {
    const q = new Queue<number>({ maxsize: 3 });
    await q.put(1);
    await q.put(2);
    const a = cells();
    const p = new Process({ target: holdRingLock, args: [q, a, 16, false] });
    p.start();
    await whenSet(a, 0);
    const getting = q.get();
    q.putNowait(3); // the put side has its own lock
    expect(q.full()).toBe(true);
    await p.terminate();
    expect(await getting).toBe(1);
    expect([q.getNowait(), q.getNowait()]).toEqual([2, 3]);
    expect(q.empty()).toBe(true);
  });

  it("a consumer Process terminated while it takes items: every item is taken once or still queued, in order, at most the one in its hands lost", async () => {
    const n = 20_000;
    const q = new Queue<[number, string]>({ bytes: 4096 });
    for (let i = 0; i < n; i++) q.putNowait([i, `payload ${i}`]);
    const a = cells(4);
    const consumer = (queue: Queue<[number, string]>, f: Int32Array): void => {
      Atomics.store(f, 0, 1);
      Atomics.notify(f, 0);
      for (;;) {
        const [i] = queue.getSync();
        if (Atomics.load(f, 2) !== i) Atomics.store(f, 3, 1); // out of order: reported, asserted below
        Atomics.store(f, 2, i + 1); // items taken so far
        Atomics.notify(f, 2);
      }
    };
    const p = new Process({ target: consumer, args: [q, a] });
    p.start();
    await whenSet(a, 0);
    await whenSet(a, 2); // it has taken at least one item: it is in its loop
    await p.terminate();
    const reported = Atomics.load(a, 2);
    expect(Atomics.load(a, 3)).toBe(0);
    const left: number[] = [];
    while (!q.empty()) {
      const [i, s] = q.getNowait();
      expect(s).toBe(`payload ${i}`);
      left.push(i);
    }
    // What is left is a tail of the sequence, whole items, in order.
    expect(left).toEqual(Array.from({ length: left.length }, (_, k) => n - left.length + k));
    expect(n - left.length - reported).toBeGreaterThanOrEqual(0);
    expect(n - left.length - reported).toBeLessThanOrEqual(1);
    await q.put([-1, "after"]);
    expect(await q.get()).toEqual([-1, "after"]);
  });

  it("a producer Process terminated while it puts a 4 MB item through a 64 kB queue (growing it): the item is whole or absent", async () => {
    for (let round = 0; round < 3; round++) {
      const q = new Queue<unknown>({ bytes: 65536 });
      await q.put("marker");
      const a = cells();
      const producer = (queue: Queue<unknown>, f: Int32Array): void => {
        const big = new Uint8Array(4 << 20).map((_, i) => i % 251);
        Atomics.store(f, 0, 1);
        Atomics.notify(f, 0);
        for (;;) queue.putSync(big);
      };
      const p = new Process({ target: producer, args: [q, a] });
      p.start();
      await whenSet(a, 0);
      await p.terminate();
      expect(await q.get()).toBe("marker");
      while (!q.empty()) {
        const got = (await q.get()) as Uint8Array;
        expect(got.length).toBe(4 << 20);
        expect(got.every((v, i) => v === i % 251)).toBe(true);
      }
      await q.put("after");
      expect(q.getNowait()).toBe("after");
    }
  });
});

describe("a Process killed while holding a Lock", () => {
  it("the kernel's waiting acquireAsync and every later acquire get LockOwnerDiedError naming the dead thread", async () => {
    const lock = new Lock();
    const a = cells();
    const holder = (l: Lock, f: Int32Array): void => {
      l.acquire();
      Atomics.store(f, 0, 1);
      Atomics.notify(f, 0);
      Atomics.wait(f, 1, 0);
    };
    const p = new Process({ target: holder, args: [lock, a] });
    p.start();
    await whenSet(a, 0);
    const tid = p.threadId;
    const waiting = lock.acquireAsync();
    await p.kill();
    const error = await waiting.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LockOwnerDiedError);
    expect((error as LockOwnerDiedError).ownerThreadId).toBe(tid);
    await expect(lock.acquireAsync({ timeout: 1000 })).rejects.toThrow(/died while holding it/);
    release(a, 1);
  });
});
