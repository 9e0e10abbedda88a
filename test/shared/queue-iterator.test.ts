import { describe, expect, it } from "vitest";
import { QueueClosedError } from "../../src/errors";
import { QueueIterator } from "../../src/shared/queue-iterator";

/** A source that hands out `items`, then throws what `end` makes (a closed, drained queue throws QueueClosedError). */
function source(items: number[], end: () => Error) {
  let calls = 0;
  return {
    calls: () => calls,
    getSync(): number {
      calls++;
      const next = items.shift();
      if (next === undefined) throw end();
      return next;
    },
  };
}

describe("QueueIterator (for … of a queue inside a worker)", () => {
  it("yields every item, ends when the source is closed and drained, and stays ended", () => {
    const s = source([1, 2, 3], () => new QueueClosedError("closed"));
    const it = new QueueIterator(s);
    expect([...it]).toEqual([1, 2, 3]);
    expect(it.next()).toEqual({ value: undefined, done: true });
    // Ended: it does not ask the source again.
    expect(s.calls()).toBe(4);
  });

  it("passes on any other error, and a later next() asks the source again", () => {
    const s = source([1], () => new TypeError("boom"));
    const it = new QueueIterator(s);
    expect(it.next()).toEqual({ value: 1, done: false });
    expect(() => it.next()).toThrow(TypeError);
    expect(() => it.next()).toThrow(TypeError);
    expect(s.calls()).toBe(3);
  });

  it("is its own iterable, as a generator is: a loop can resume where a break left it", () => {
    const it = new QueueIterator(source([1, 2, 3, 4], () => new QueueClosedError("closed")));
    expect(it[Symbol.iterator]()).toBe(it);
    const first: number[] = [];
    for (const x of it) {
      first.push(x);
      if (x === 2) break;
    }
    expect(first).toEqual([1, 2]);
    expect([...it]).toEqual([3, 4]);
  });
});
