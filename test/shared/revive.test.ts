import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { Condition, Event, Lock, RLock, SharedArrayFactory as SharedArray, Value, packShared, reviveShared } from "../../src/shared";

/** A real structured clone, as postMessage (and piscina) does it. */
function cloneThroughPort<T>(v: T): T {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(v);
  const got = receiveMessageOnPort(port2)!.message as T;
  port1.close();
  return got;
}

describe("packShared / reviveShared (data sent by plain structured clone)", () => {
  it("without them a clone loses the classes (what items and args get today)", () => {
    const lost = cloneThroughPort({ lock: new Lock() }) as unknown as { lock: object };
    expect(lost.lock).not.toBeInstanceOf(Lock);
  });

  it("brings nested shared objects back as shared objects over the same memory", () => {
    const lock = new Lock();
    const v = Value("i", 5, { lock });
    const a = SharedArray("d", [1, 2]);
    const msg = { args: [v, { a, deep: [[new Event()]] }], cond: new Condition(new RLock()), n: 3, s: "x" };
    const back = reviveShared(cloneThroughPort(packShared(msg)));
    const [v2, rest] = back.args as [typeof v, { a: typeof a; deep: Event[][] }];
    expect(v2).toBeInstanceOf(Value);
    v2.value = 9;
    expect(v.value).toBe(9);
    rest.a[1] = 7;
    expect(a[1]).toBe(7);
    expect(rest.a.getLock()).toBeInstanceOf(RLock);
    expect(rest.deep[0]![0]).toBeInstanceOf(Event);
    expect(back.cond.lock).toBeInstanceOf(RLock);
    expect(back.n).toBe(3);
    expect(back.s).toBe("x");
    expect(v2.getLock().acquire({ blocking: false })).toBe(true);
    expect(lock.locked()).toBe(true);
    v2.getLock().release();
  });

  it("leaves data without shared objects untouched (no copy), and does not change the sender's data", () => {
    const data = { a: [1, 2, { b: "c" }], d: new Date(0) };
    expect(packShared(data)).toBe(data);
    expect(reviveShared(data)).toBe(data);
    const lock = new Lock();
    const mixed = [1, lock];
    const packed = packShared(mixed);
    expect(packed).not.toBe(mixed);
    expect(mixed[1]).toBe(lock);
  });

  it("copes with cycles", () => {
    const o: Record<string, unknown> = { lock: new Lock() };
    o.self = o;
    const back = reviveShared(cloneThroughPort(packShared(o)));
    expect(back.lock).toBeInstanceOf(Lock);
  });
});
