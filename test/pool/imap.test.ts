import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AggregateTaskError, RemoteError } from "../../src/errors";
import { Pool } from "../../src/pool";
import { firstHeldBack, heldBack, reached, release } from "../helpers/handshake";

let pool: Pool;
beforeAll(() => {
  pool = new Pool(2);
});
afterAll(() => pool.terminate());

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

describe("pool.imap", () => {
  it("yields every result in input order", async () => {
    const items = Array.from({ length: 5000 }, (_, i) => i);
    await expect(all(pool.imap((x: number) => x * 3, items))).resolves.toEqual(items.map((x) => x * 3));
  });

  it("yields in input order even when later items finish first", async () => {
    const { items, flag } = heldBack(4);
    const results = all(pool.imap(firstHeldBack, items));
    await reached(flag, 2, 3);
    release(flag);
    await expect(results).resolves.toEqual([0, 1, 2, 3]);
  });

  it("takes chunksize and async iterables", async () => {
    async function* source() {
      for (let i = 0; i < 20; i++) yield i;
    }
    await expect(all(pool.imap((x: number) => x + 1, source(), 3))).resolves.toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("reads a 10^7-item generator only as fast as results are consumed", async () => {
    let pulled = 0;
    let closed = false;
    function* huge() {
      try {
        for (let i = 0; i < 1e7; i++) {
          pulled++;
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    let seen = 0;
    let sum = 0;
    for await (const r of pool.imap((x: number) => x, huge())) {
      sum += r;
      if (++seen === 100_000) break;
    }
    expect(sum).toBe((99_999 * 100_000) / 2);
    // The window (default 4 × processes × 8192 items) bounds what was read ahead of the loop.
    expect(pulled - seen).toBeLessThanOrEqual(4 * 2 * 8192 + 8192);
    expect(closed).toBe(true);
  });

  it("stops reading when the loop stops consuming", async () => {
    let pulled = 0;
    function* counted() {
      for (let i = 0; i < 1e7; i++) {
        pulled++;
        yield i;
      }
    }
    const it = pool.imap((x: number) => x, counted(), { window: 100 });
    await it.next();
    // Give the pool every chance to read ahead: wait for a full round of further messages.
    await pool.map((x: number) => x, [1, 2, 3, 4], 1);
    await pool.map((x: number) => x, [1, 2, 3, 4], 1);
    expect(pulled).toBeLessThan(100 + 8192);
    await it.return?.();
  });

  it("throws a RemoteError at the failed item, after the results before it", async () => {
    const failAt5 = (x: number) => {
      if (x === 5) throw new TypeError("five");
      return x;
    };
    const got: number[] = [];
    const error = await (async () => {
      for await (const r of pool.imap(failAt5, Array.from({ length: 50 }, (_, i) => i))) got.push(r);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ remoteName: "TypeError", index: 5 });
  });

  it("with stopOnError: false yields the rest and ends with an AggregateTaskError", async () => {
    const failOdd = (x: number) => {
      if (x % 2 === 1) throw new Error(`odd ${x}`);
      return x;
    };
    const got: number[] = [];
    const error = await (async () => {
      for await (const r of pool.imap(failOdd, [0, 1, 2, 3, 4], { stopOnError: false })) got.push(r);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(got).toEqual([0, 2, 4]);
    expect(error).toBeInstanceOf(AggregateTaskError);
    expect((error as AggregateTaskError).errors.map((e) => e.index)).toEqual([1, 3]);
  });
});

describe("pool.imapUnordered", () => {
  it("yields every result, fastest first", async () => {
    const { items, flag } = heldBack(2);
    const results = pool.imapUnordered(firstHeldBack, items)[Symbol.asyncIterator]();
    // Item 0 is held back until the loop has item 1: it can only come second.
    await expect(results.next()).resolves.toEqual({ done: false, value: 1 });
    release(flag);
    await expect(results.next()).resolves.toEqual({ done: false, value: 0 });
    await expect(results.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it("yields every item of a large input exactly once", async () => {
    const items = Array.from({ length: 20_000 }, (_, i) => i);
    const out = await all(pool.imapUnordered((x: number) => x, items));
    expect(out.sort((a, b) => a - b)).toEqual(items);
  });
});
