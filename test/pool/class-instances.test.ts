import { afterAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import type * as Lanes from "../../src";
import { NotShippableError, Pool, type TransferHandler } from "../../src";

// The package as a notebook loads it, so an initializer that refers to `mp` has it re-required in the worker.
const mp = createRequire(__filename)("lanes") as typeof Lanes;

class Pt {
  constructor(public x: number) {}
  norm(): number {
    return Math.abs(this.x);
  }
  scaled(k: number): Pt {
    return new Pt(this.x * k);
  }
}

class Pt3 extends Pt {
  constructor(x: number, public z: number) {
    super(x);
  }
  override norm(): number {
    return super.norm() + Math.abs(this.z);
  }
}

class Secret {
  readonly #cents: number;
  constructor(cents: number) {
    this.#cents = cents;
  }
  get cents(): number {
    return this.#cents;
  }
}

const pool = new Pool(2);
afterAll(() => pool.terminate());

describe("class instances as items, arguments, initargs and results", () => {
  it("arrive as their class in the worker (the issue's reproduction)", async () => {
    await expect(pool.map((p: Pt) => p.norm(), [new Pt(-2)])).resolves.toEqual([2]);
  });

  it("come back as the kernel's own class", async () => {
    const out = await pool.map((p: Pt) => p.scaled(3), [new Pt(-2), new Pt(5)]);
    expect(out[0]).toBeInstanceOf(Pt);
    expect(out.map((p) => p.norm())).toEqual([6, 15]);
    const made = await pool.map((x: number) => new Pt(x), [1, 2, 3]);
    expect(made.every((p) => p instanceof Pt)).toBe(true);
    expect(made.map((p) => p.x)).toEqual([1, 2, 3]);
  });

  it("subclasses, nesting inside records, Maps and Sets, and shared references", async () => {
    const recs = Array.from({ length: 200 }, (_, i) => ({ id: i, pt: i % 2 === 0 ? new Pt(-i) : new Pt3(i, -1) }));
    await expect(pool.map((r: { id: number; pt: Pt }) => r.pt.norm(), recs)).resolves.toEqual(recs.map((r) => r.pt.norm()));
    const shared = new Pt(4);
    const item = { a: shared, b: shared, m: new Map([["k", new Pt(-1)]]), s: new Set([new Pt(-3)]) };
    const [seen] = await pool.map(
      (v: typeof item) => [v.a === v.b, v.a instanceof Object.getPrototypeOf(v.b).constructor, v.m.get("k")!.norm(), [...v.s][0]!.norm()],
      [item],
    );
    expect(seen).toEqual([true, true, 1, 3]);
    const [back] = await pool.map((v: typeof item) => v, [item]);
    expect(back!.a).toBeInstanceOf(Pt);
    expect(back!.a).toBe(back!.b);
    expect(back!.m.get("k")).toBeInstanceOf(Pt);
  });

  it("many instances of one class (sent as columns of their fields), also when a message is shared out between workers", async () => {
    const many = Array.from({ length: 5000 }, (_, i) => new Pt(-i));
    const out = await pool.map((p: Pt) => p.scaled(2), many, 1000);
    expect(out.every((p) => p instanceof Pt)).toBe(true);
    expect(out.map((p) => p.x)).toEqual(many.map((p) => -2 * p.norm()));
    const mixed = many.map((p, i) => (i % 2 === 0 ? p : new Pt3(p.x, 1)));
    const norms = await pool.map((p: Pt) => p.norm(), mixed, 100);
    expect(norms).toEqual(mixed.map((p) => p.norm()));
  });

  it("a cycle through an instance keeps its shape", async () => {
    class Node {
      next: Node | undefined;
      constructor(public v: number) {}
    }
    const a = new Node(1);
    a.next = a;
    const [back] = await pool.map((n: Node) => n, [a]);
    expect(back).toBeInstanceOf(Node);
    expect(back!.next).toBe(back);
  });

  it("starmap and apply arguments", async () => {
    await expect(pool.starmap((p: Pt, k: number) => p.scaled(k).norm(), [[new Pt(-2), 4], [new Pt(1), 2]])).resolves.toEqual([8, 2]);
    await expect(pool.apply((p: Pt, q: { pt: Pt }) => p.x + q.pt.norm(), [new Pt(1), { pt: new Pt(-7) }])).resolves.toBe(8);
    const got = await pool.apply((p: Pt) => p.scaled(2), [new Pt(3)]);
    expect(got).toBeInstanceOf(Pt);
    expect(got.x).toBe(6);
  });

  it("imap and imapUnordered", async () => {
    const out: number[] = [];
    for await (const n of pool.imap((p: Pt) => p.norm(), [new Pt(-1), new Pt(-2), new Pt(-3)])) out.push(n);
    expect(out).toEqual([1, 2, 3]);
    const un: number[] = [];
    for await (const p of pool.imapUnordered((p: Pt) => p.scaled(-1), [new Pt(1), new Pt(2)])) un.push((p).norm());
    expect(un.sort()).toEqual([1, 2]);
  });

  it("initargs", async () => {
    const withInit = new Pool({
      processes: 1,
      initargs: [new Pt(-9), 5],
      initializer: (p: Pt, n: number) => {
        (globalThis as Record<string, unknown>).lanesInitPt = p.scaled(n);
      },
    });
    try {
      await expect(withInit.apply(() => ((globalThis as Record<string, unknown>).lanesInitPt as Pt).norm())).resolves.toBe(45);
    } finally {
      await withInit.terminate();
    }
  });

  it("the task's captured class and the items' class are one class in the worker", async () => {
    await expect(pool.map((p: Pt) => p instanceof Pt, [new Pt(1)])).resolves.toEqual([true]);
  });

  it("a class with private fields is refused before dispatch, naming the class and the fix", async () => {
    const threads = pool.threadIds;
    const error = await pool.map((m: Secret) => m.cents, [new Secret(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotShippableError);
    expect((error as Error).message).toMatch(/class `Secret`.*private fields.*registerTransferHandler/);
    expect((error as NotShippableError).names).toEqual(["Secret"]);
    expect(pool.threadIds).toEqual(threads);
  });

  it("a built-in class with native state is refused, not stripped", async () => {
    await expect(pool.map((u: URL) => u.href, [new URL("https://example.org/")])).rejects.toThrow(NotShippableError);
    await expect(pool.map((u: URL) => u.href, [new URL("https://example.org/")])).rejects.toThrow(/`URL`/);
  });

  it("a transfer handler carries an instance the copy could not", async () => {
    const handler: TransferHandler<Secret, number> = {
      canHandle: (v): v is Secret => v instanceof Secret,
      serialize: (m) => m.cents,
      deserialize: (c) => new Secret(c),
    };
    mp.registerTransferHandler("test:secret", handler);
    const p = new mp.Pool({ processes: 1, initializer: () => mp.registerTransferHandler("test:secret", handler) });
    try {
      await expect(p.map((m: Secret) => m.cents * 2, [new Secret(21)])).resolves.toEqual([42]);
      const [back] = await p.map((m: Secret) => m, [new Secret(5)]);
      expect(back).toBeInstanceOf(Secret);
      expect(back!.cents).toBe(5);
    } finally {
      await p.terminate();
    }
  });

  it("a worker returning an instance of a class only it has fails that item with a typed error naming the class; the worker lives on", async () => {
    const threads = pool.threadIds;
    const error = await pool
      .map((x: number) => {
        class Local {
          constructor(readonly y: number) {}
        }
        return new Local(x);
      }, [1])
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe("UncloneableResultError");
    expect((error as Error).message).toMatch(/instance of class `Local`/);
    expect(pool.threadIds).toEqual(threads);
    await expect(pool.map((x: number) => x + 1, [1])).resolves.toEqual([2]);
  });

  it("plain data is untouched: records, nested objects, dates", async () => {
    const data = [{ a: 1, d: new Date(0), n: { m: [1, 2] } }, { a: 2, d: new Date(1), n: { m: [3] } }];
    await expect(pool.map((x: (typeof data)[number]) => x, data)).resolves.toStrictEqual(data);
  });
});
