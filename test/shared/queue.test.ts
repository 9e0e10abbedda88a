import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Empty, Full, KernelThreadBlockingError, NotSerializableError, QueueClosedError, TaskDoneError } from "../../src/errors";
import { JoinableQueue, Queue, SimpleQueue } from "../../src/shared";

describe("Queue on the kernel thread", () => {
  it("is first in, first out, with exact qsize, empty and full", async () => {
    const q = new Queue<number>({ maxsize: 3 });
    expect([q.qsize(), q.empty(), q.full(), q.maxsize]).toEqual([0, true, false, 3]);
    q.putNowait(1);
    await q.put(2);
    q.putNowait(3);
    expect([q.qsize(), q.empty(), q.full()]).toEqual([3, false, true]);
    expect(() => q.putNowait(4)).toThrow(Full);
    expect(q.getNowait()).toBe(1);
    expect(await q.get()).toBe(2);
    expect(q.getNowait()).toBe(3);
    expect(() => q.getNowait()).toThrow(Empty);
    expect(new Queue(5).maxsize).toBe(5);
  });

  it("times out as Python does: get → Empty, put → Full, and timeout 0 does not wait", async () => {
    const q = new Queue<string>({ maxsize: 1 });
    await expect(q.get({ timeout: 0 })).rejects.toThrow(Empty);
    await expect(q.get({ timeout: 20 })).rejects.toThrow(/empty after waiting 20 ms/);
    await q.put("a");
    await expect(q.put("b", { timeout: 20 })).rejects.toThrow(Full);
    await expect(q.put("b", { timeout: -1 })).rejects.toThrow(RangeError);
    expect(q.qsize()).toBe(1);
  });

  it("a waiting get is woken by a put, and a waiting put by a get", async () => {
    const q = new Queue<number>({ maxsize: 1 });
    const got = q.get();
    await q.put(7);
    expect(await got).toBe(7);
    await q.put(1);
    const put = q.put(2);
    expect(await q.get()).toBe(1);
    await put;
    expect(q.getNowait()).toBe(2);
  });

  it("refuses to block the kernel thread, naming the await-able twin, but does what needs no wait", () => {
    const q = new Queue<number>({ maxsize: 1 });
    expect(() => q.getSync()).toThrow(KernelThreadBlockingError);
    expect(() => q.getSync({ timeout: 5 })).toThrow(/await queue\.get\(\)/);
    q.putSync(1);
    expect(() => q.putSync(2)).toThrow(/await queue\.put\(\)/);
    expect(q.getSync()).toBe(1);
    expect(() => q.getSync({ timeout: 0 })).toThrow(Empty);
  });

  it("close: put fails, get drains then fails, getNowait says Empty, for await ends, waiting gets wake", async () => {
    const q = new Queue<number>();
    const waiting = q.get();
    q.close();
    await expect(waiting).rejects.toThrow(QueueClosedError);
    const r = new Queue<number>();
    await r.put(1);
    await r.put(2);
    r.close();
    r.close();
    expect(r.closed).toBe(true);
    await expect(r.put(3)).rejects.toThrow(QueueClosedError);
    expect(() => r.putNowait(3)).toThrow(QueueClosedError);
    const seen: number[] = [];
    for await (const x of r) seen.push(x);
    expect(seen).toEqual([1, 2]);
    await expect(r.get()).rejects.toThrow(QueueClosedError);
    expect(() => r.getNowait()).toThrow(Empty);
  });

  it("carries what structured clone carries, and refuses a function leaving the queue unchanged", async () => {
    const q = new Queue();
    const items = [-0, NaN, 10n ** 30n, new Date(5), new Map([["k", new Set([1])]]), new Float64Array([1.5]), { a: [undefined, null] }, "é"];
    for (const x of items) q.putNowait(x);
    const back = [];
    while (!q.empty()) back.push(await q.get());
    expect(back).toEqual(items);
    expect(Object.is(back[0], -0)).toBe(true);
    await q.put(1);
    await expect(q.put({ run: () => 1 })).rejects.toThrow(NotSerializableError);
    expect(() => q.putNowait(Symbol("s") as never)).toThrow(NotSerializableError);
    expect(q.qsize()).toBe(1);
    expect(q.getNowait()).toBe(1);
  });

  it("moves a 10 MB item through a 64 kB queue, with wrapped items before and after it in order", async () => {
    const q = new Queue<unknown>({ bytes: 65536 });
    const filler = "x".repeat(20_000);
    for (let i = 0; i < 3; i++) await q.put([i, filler]);
    await q.get();
    await q.get();
    // The ring has wrapped: the next items start near its end and continue at its start.
    await q.put([3, filler]);
    await q.put([4, filler]);
    const big = new Uint8Array(10 * 1024 * 1024).map((_, i) => i % 251);
    await q.put(big);
    await q.put([5, "after"]);
    expect(((await q.get()) as unknown[])[0]).toBe(2);
    expect(((await q.get()) as unknown[])[0]).toBe(3);
    expect(((await q.get()) as unknown[])[0]).toBe(4);
    const back = (await q.get()) as Uint8Array;
    expect(back.length).toBe(big.length);
    expect(Buffer.compare(back, big)).toBe(0);
    expect(await q.get()).toEqual([5, "after"]);
    expect(q.empty()).toBe(true);
  });

  it("behaves like an in-memory queue over random operation sequences (model-based), through two handles of one queue", () => {
    // Two handles over one buffer are two producers and two consumers (each keeps its own view of the
    // other side's counters, as each thread does): a stale one must never let a put overwrite an item.
    const payload = fc.oneof(
      fc.integer(),
      fc.string({ maxLength: 300 }),
      fc.array(fc.double(), { maxLength: 40 }),
      fc.record({ id: fc.integer(), name: fc.string({ maxLength: 8 }), ok: fc.boolean() }),
    );
    const op = fc.oneof(fc.record({ put: payload, via: fc.nat(1) }), fc.record({ get: fc.constant(true), via: fc.nat(1) }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.array(op, { maxLength: 80 }), (maxsize, ops) => {
        const q = new Queue<unknown>({ maxsize, bytes: 64 });
        const handles = [q, new Queue<unknown>(undefined, q.ring.buffer)];
        const model: unknown[] = [];
        for (const o of ops) {
          const h = handles[o.via]!;
          if ("put" in o) {
            const full = maxsize > 0 && model.length >= maxsize;
            if (full) expect(() => h.putNowait(o.put)).toThrow(Full);
            else {
              h.putNowait(o.put);
              model.push(o.put);
            }
          } else if (model.length === 0) expect(() => h.getNowait()).toThrow(Empty);
          else expect(h.getNowait()).toEqual(model.shift());
          expect(q.qsize()).toBe(model.length);
          expect(q.full()).toBe(maxsize > 0 && model.length >= maxsize);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("JoinableQueue and SimpleQueue", () => {
  it("join waits for every item's taskDone; taskDone too often throws", async () => {
    const q = new JoinableQueue<number>();
    expect(await q.join({ timeout: 0 })).toBe(true);
    await q.put(1);
    await q.put(2);
    expect(q.unfinished()).toBe(2);
    expect(await q.join({ timeout: 10 })).toBe(false);
    const joined = q.join();
    q.getNowait();
    q.taskDone();
    q.getNowait();
    q.taskDone();
    expect(await joined).toBe(true);
    expect(() => q.taskDone()).toThrow(TaskDoneError);
  });

  it("SimpleQueue has no maxsize and is a Queue", async () => {
    const q = new SimpleQueue<string>();
    expect(q.maxsize).toBe(0);
    await q.put("a");
    expect(q.empty()).toBe(false);
    expect(await q.get()).toBe("a");
    expect(q).toBeInstanceOf(Queue);
  });
});
