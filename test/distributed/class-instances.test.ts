/**
 * Class instances on a cluster pool, as on a local one (test/pool/class-instances.test.ts): notebook
 * classes cross to real `lanes worker` processes and back as their class (the class is shipped with
 * each chunk, so every worker process can rebuild it), and what cannot cross is refused before
 * anything is queued, or fails its own item, with the local pool's typed errors.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Lanes from "../../src";
import { AggregateTaskError, NotDistributableError, NotShippableError } from "../../src/errors";
import { Pool } from "../../src/pool";
import { startRedisServer, type RedisServer } from "../../src/distributed/redis-server";
import { allKeys, KEY, readyWorker, stopWorkers, type TestWorker } from "./helpers";

// The package as a notebook loads it (registerTransferHandler's registry is the package's own).
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
  constructor(
    x: number,
    public z: number,
  ) {
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

let redis: RedisServer;
let workers: TestWorker[];
let pool: Pool;

beforeAll(async () => {
  redis = await startRedisServer();
  workers = await Promise.all([readyWorker(redis.url), readyWorker(redis.url)]);
  pool = new Pool({ backend: { url: redis.url, key: KEY } });
}, 120_000);

afterAll(async () => {
  await pool?.terminate();
  await stopWorkers(workers ?? []);
  await redis?.stop();
});

describe("class instances on a cluster pool", () => {
  it("arrive as their class in the worker process, and come back as the kernel's own class", async () => {
    await expect(pool.map((p: Pt) => p.norm(), [new Pt(-2), new Pt(3)])).resolves.toEqual([2, 3]);
    const out = await pool.map((p: Pt) => p.scaled(3), [new Pt(-2), new Pt(5)]);
    expect(out.every((p) => p instanceof Pt)).toBe(true);
    expect(out.map((p) => p.norm())).toEqual([6, 15]);
    const made = await pool.map((x: number) => new Pt(x), [1, 2, 3]);
    expect(made.every((p) => p instanceof Pt)).toBe(true);
    expect(made.map((p) => p.x)).toEqual([1, 2, 3]);
  });

  it("many instances of two classes in many chunks (each chunk carries its classes, so any worker process can take it)", async () => {
    const many = Array.from({ length: 3_000 }, (_, i) => (i % 3 === 0 ? new Pt3(-i, 1) : new Pt(-i)));
    const back = await pool.map((p: Pt) => p, many, { chunksize: 50 });
    expect(back.every((p, i) => p instanceof (i % 3 === 0 ? Pt3 : Pt))).toBe(true);
    expect(back.map((p) => p.norm())).toEqual(many.map((p) => p.norm()));
    // Pt3 inherits Pt's scaled, which makes a Pt: as it would in the kernel.
    const scaled = await pool.map((p: Pt) => p.scaled(2), many, { chunksize: 50 });
    expect(scaled.every((p) => p instanceof Pt && !(p instanceof Pt3))).toBe(true);
    expect(scaled.map((p) => p.x)).toEqual(many.map((p) => 2 * p.x));
  });

  it("subclasses, nesting inside records, Maps and Sets, and shared references", async () => {
    const recs = Array.from({ length: 200 }, (_, i) => ({ id: i, pt: i % 2 === 0 ? new Pt(-i) : new Pt3(i, -1) }));
    await expect(pool.map((r: { id: number; pt: Pt }) => r.pt.norm(), recs, { chunksize: 20 })).resolves.toEqual(recs.map((r) => r.pt.norm()));
    const shared = new Pt(4);
    const item = { a: shared, b: shared, m: new Map([["k", new Pt(-1)]]), s: new Set([new Pt3(-3, 2)]) };
    const [seen] = await pool.map((v: typeof item) => [v.a === v.b, v.a instanceof Pt, v.m.get("k")!.norm(), [...v.s][0]!.norm()], [item]);
    expect(seen).toEqual([true, true, 1, 5]);
    const [back] = await pool.map((v: typeof item) => v, [item]);
    expect(back!.a).toBeInstanceOf(Pt);
    expect(back!.a).toBe(back!.b);
    expect(back!.m.get("k")).toBeInstanceOf(Pt);
    expect([...back!.s][0]).toBeInstanceOf(Pt3);
  });

  it("starmap and apply arguments, imap and imapUnordered", async () => {
    await expect(pool.starmap((p: Pt, k: number) => p.scaled(k).norm(), [[new Pt(-2), 4], [new Pt(1), 2]])).resolves.toEqual([8, 2]);
    const got = await pool.apply((p: Pt, q: { pt: Pt }) => p.scaled(q.pt.norm()), [new Pt(3), { pt: new Pt(-2) }]);
    expect(got).toBeInstanceOf(Pt);
    expect(got.x).toBe(6);
    const ordered: number[] = [];
    for await (const n of pool.imap((p: Pt) => p.norm(), [new Pt(-1), new Pt(-2), new Pt(-3)], { chunksize: 1 })) ordered.push(n);
    expect(ordered).toEqual([1, 2, 3]);
    const unordered: Pt[] = [];
    for await (const p of pool.imapUnordered((p: Pt) => p.scaled(-1), [new Pt(1), new Pt(2)], { chunksize: 1 })) unordered.push(p);
    expect(unordered.every((p) => p instanceof Pt)).toBe(true);
    expect(unordered.map((p) => p.x).sort((a, b) => a - b)).toEqual([-2, -1]);
  });

  it("the task's captured class and the items' class are one class in the worker", async () => {
    await expect(pool.map((p: Pt) => p instanceof Pt, [new Pt(1)])).resolves.toEqual([true]);
  });

  it("a class with private fields is refused before anything is queued, as locally", async () => {
    const before = await allKeys(redis.url);
    const error = await pool.map((m: Secret) => m.cents, [new Secret(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotShippableError);
    expect((error as Error).message).toMatch(/class `Secret`.*private fields/);
    expect(await allKeys(redis.url)).toEqual(before);
  });

  it("an instance carried by a transfer handler is a NotDistributableError before anything is queued (a lanes worker cannot register the handler)", async () => {
    mp.registerTransferHandler("test:cluster-secret", {
      canHandle: (v): v is Secret => v instanceof Secret,
      serialize: (m: Secret) => m.cents,
      deserialize: (c: number) => new Secret(c),
    });
    const before = await allKeys(redis.url);
    const error = await pool.map((m: Secret | number) => (typeof m === "number" ? m : m.cents), [1, 2, new Secret(3)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotDistributableError);
    expect((error as Error).message).toMatch(/transfer handler "test:cluster-secret".*Nothing was queued/);
    expect(await allKeys(redis.url)).toEqual(before);
    await expect(pool.map((x: number) => x + 1, [1])).resolves.toEqual([2]);
  });

  it("a worker returning an instance of a class only it has fails that item with UncloneableResultError; the others complete", async () => {
    const error = await pool
      .map(
        (x: number) => {
          class Local {
            constructor(readonly y: number) {}
          }
          return x === 1 ? new Local(x) : x;
        },
        [0, 1, 2],
        { chunksize: 1, stopOnError: false },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateTaskError);
    const failure = error as AggregateTaskError;
    expect(failure.errors.map((e) => (e as Error).name)).toEqual(["UncloneableResultError"]);
    expect((failure.errors[0] as Error).message).toMatch(/instance of class `Local`/);
    expect(failure.results[0]).toBe(0);
    expect(failure.results[2]).toBe(2);
  });
});
