import { describe, expect, it } from "vitest";
import { Process } from "../../src/process";
import { Condition, Event, Lock, RawArray, Semaphore } from "../../src/shared";
import { KERNEL_LANE } from "../../src/wire/mime";
import { timelineProblems } from "../display/schema";
import { whenEquals } from "../shared/threads";

/**
 * Two Processes: the holder takes `lock` and keeps it until the waiter is waiting on it (the lock
 * word reads 2, "contended"), so the waiter's acquire is a real slow-path wait, every run.
 */
async function contended(lock: Lock): Promise<[Process, Process]> {
  const f = RawArray("i", 2);
  const holder = new Process({
    name: "holder",
    target: () => {
      lock.acquire();
      Atomics.store(f, 0, 1);
      Atomics.notify(f, 0);
      Atomics.wait(f, 1, 0);
      lock.release();
    },
  });
  holder.start();
  await whenEquals(f, 0, 1);
  const waiter = new Process({ name: "waiter", target: () => lock.withLock(() => undefined) });
  waiter.start();
  await whenEquals(lock.words, 0, 2);
  Atomics.store(f, 1, 1);
  Atomics.notify(f, 1);
  await Promise.all([holder.join(), waiter.join()]);
  return [holder, waiter];
}

describe("slow-path waits on the timeline", () => {
  it("a Process that waited for a Lock has the wait on its own lane, labelled with the lock, in the summary", async () => {
    const lock = new Lock();
    const [holder, waiter] = await contended(lock);
    const t = Process.timeline([holder, waiter]);
    const waits = t.extras.waits;
    expect(waits.map((w) => [w.lane, w.kind, w.object])).toEqual([[1, "Lock", lock.id]]);
    const [w] = waits;
    const span = t.spans()[1]!;
    // Inside the waiter's lane span, and a real duration.
    expect(w!.start).toBeGreaterThanOrEqual(span.started! - 1);
    expect(w!.end).toBeLessThanOrEqual(span.finished! + 1);
    expect(w!.end).toBeGreaterThan(w!.start);
    const s = t.summary();
    expect(s.lockWaits).toBe(1);
    expect(s.longestLockWaitOn).toBe(`Lock#${lock.id}`);
    expect(s.lockWaitMs).toBeCloseTo(w!.end - w!.start, 6);
    expect(t.toString()).toMatch(new RegExp(`lock waits [\\d.]+ m?s total, longest [\\d.]+ m?s on Lock#${lock.id} \\(1 wait\\)`));
    const payload = t.toPayload();
    expect(payload.waits?.count).toBe(1);
    expect(payload.waits?.kind).toBe("l");
    expect(timelineProblems(payload)).toEqual([]);
  });

  it("uncontended acquires record nothing", async () => {
    const lock = new Lock();
    const sem = new Semaphore(1);
    const p = new Process({
      target: () => {
        for (let i = 0; i < 10_000; i++) {
          lock.withLock(() => undefined);
          sem.withLock(() => undefined);
        }
      },
    });
    p.start();
    await p.join();
    expect(Process.timeline([p]).extras.waits).toEqual([]);
    expect(Process.timeline([p]).toPayload().waits).toBeUndefined();
  });

  it("a Semaphore with no permit left records the wait of the worker that had to sleep", async () => {
    const sem = new Semaphore(0);
    const p = new Process({ target: () => sem.acquire() });
    p.start();
    await whenEquals(sem.words, 2, 1); // the waiter counted itself: it is in the slow path
    sem.release();
    await p.join();
    const waits = Process.timeline([p]).extras.waits;
    expect(waits.map((w) => [w.lane, w.kind, w.object])).toEqual([[0, "Semaphore", sem.id]]);
  });

  it("the kernel's own async waits (Event, Condition) go on the kernel lane, counted apart from lock waits", async () => {
    const ev = new Event();
    const cond = new Condition(new Lock());
    const p = new Process({
      target: () => {
        ev.set();
        cond.withLock(() => cond.notifyAll());
      },
    });
    await cond.acquireAsync();
    const waiting = ev.waitAsync();
    p.start();
    expect(await waiting).toBe(true);
    // The Process can take the condition's lock only once waitAsync has let it go: then it notifies.
    expect(await cond.waitAsync({ timeout: 10_000 })).toBe(true);
    cond.release();
    await p.join();
    const t = Process.timeline([p]);
    const mine = t.extras.waits.filter((w) => w.lane === KERNEL_LANE).map((w) => [w.kind, w.object]);
    expect(mine).toEqual(expect.arrayContaining([["Event", ev.id], ["Condition", cond.id]]));
    expect(t.summary().otherWaits).toBeGreaterThanOrEqual(2);
    expect(t.toString()).toContain("condition/event/barrier waits");
  });

  it("ids count per kind and are the same in every thread", async () => {
    const a = new Lock();
    const b = new Lock();
    expect(b.id).toBe(a.id + 1);
    const ids = RawArray("i", 1);
    const p = new Process({ target: () => void (ids[0] = b.id) });
    p.start();
    await p.join();
    expect(ids[0]).toBe(b.id);
  });
});
