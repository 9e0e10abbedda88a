import { afterEach, describe, expect, it } from "vitest";
import { Piscina } from "piscina";
import { shipFunction, type ShippedFunction } from "../../src/ship";
import type { BatchRequest, BatchResponse, WorkerSetup } from "../../src/pool/protocol";
import { workerFile } from "../../src/pool/worker-file";
import { packItems, unpackItems } from "../../src/pool/items";
import { isPackedRows } from "../../src/pool/rows";
import { NO_CLAIM } from "../../src/pool/claims";
import { ClaimTable } from "../../src/pool/claim-table";
import { newProgressTable } from "../../src/pool/progress";
import { newFlag, release, started } from "../helpers/handshake";

// The worker entry speaks the protocol in src/pool/protocol.ts; these tests talk to it directly.
let pools: Piscina[] = [];
afterEach(async () => {
  await Promise.all(pools.map((p) => p.destroy()));
  pools = [];
});

function worker(setup: Partial<WorkerSetup> = {}): (req: BatchRequest) => Promise<BatchResponse> {
  const workerData: WorkerSetup = {
    initializer: null,
    initargs: [],
    maxTasksPerChild: 0,
    retired: new Int32Array(new SharedArrayBuffer(64 * 4)),
    claims: new ClaimTable().table,
    progress: newProgressTable(),
    ...setup,
  };
  const pool = new Piscina({ filename: workerFile(), minThreads: 1, maxThreads: 1, workerData });
  pools.push(pool);
  return (req) => pool.run(req) as Promise<BatchResponse>;
}

function request(fn: ShippedFunction, items: BatchRequest["items"], extra: Partial<BatchRequest> = {}): BatchRequest {
  return { fnId: fn.id, fn, star: false, start: 0, items, chunksize: 1, stopOnError: true, claim: NO_CLAIM, token: 1, ...extra };
}

/** A request for `[1]` that carries only the function's id, as the kernel sends once a worker has it. */
function idOnly(fn: ShippedFunction): BatchRequest {
  const { fn: _payload, ...rest } = request(fn, [1]);
  return rest;
}

function done(response: BatchResponse): Extract<BatchResponse, { kind: "done" }> {
  expect(response.kind).toBe("done");
  return response as Extract<BatchResponse, { kind: "done" }>;
}

describe("worker entry", () => {
  it("answers numbers as a Float64Array and anything else as an array", async () => {
    const run = worker();
    const double = shipFunction((x: number) => x * 2);
    const numeric = done(await run(request(double, new Float64Array([1, 2, 3]))));
    expect(numeric.results).toBeInstanceOf(Float64Array);
    expect(Array.from(numeric.results as Float64Array)).toEqual([2, 4, 6]);
    const label = shipFunction((x: number) => (x > 1 ? `big ${x}` : x));
    const mixed = done(await run(request(label, [1, 2])));
    expect(mixed.results).toEqual([1, "big 2"]);
  });

  it("reads records sent as columns and answers records as columns", async () => {
    const run = worker();
    const bump = shipFunction((r: { id: number; name: string; value: number }) => ({ id: r.id, name: r.name, value: r.value + 1 }));
    const records = Array.from({ length: 100 }, (_, id) => ({ id, name: `item-${id}`, value: id / 2 }));
    const sent = packItems(records, 0, records.length);
    expect(isPackedRows(sent)).toBe(true);
    const out = done(await run(request(bump, sent)));
    expect(isPackedRows(out.results)).toBe(true);
    expect(unpackItems(out.results)).toEqual(records.map((r) => ({ ...r, value: r.value + 1 })));
  });

  it("runs only the items it claims: what was shared out before it started, and what is taken while it runs", async () => {
    const claims = new ClaimTable();
    // Item 5 says it started (word 0) and waits until the test has taken part of the message (word 1).
    const flag = newFlag();
    const keepFlag = shipFunction((shared: Int32Array) => {
      (globalThis as Record<string, unknown>).entryTestFlag = shared;
    });
    const run = worker({ claims: claims.table, initializer: keepFlag, initargs: [flag] });
    const double = shipFunction((x: number) => {
      if (x === 5) {
        const gate = (globalThis as Record<string, unknown>).entryTestFlag as Int32Array;
        Atomics.store(gate, 0, 1);
        Atomics.notify(gate, 0);
        Atomics.wait(gate, 1, 0, 10_000);
      }
      return x * 2;
    });
    const items = new Float64Array(Array.from({ length: 40 }, (_, i) => i));
    // Shared out before the worker reads the message: it runs the front half only (item 5 passes).
    release(flag);
    const before = claims.open(items.length);
    expect(claims.share(before)).toEqual([20, 40]);
    const front = done(await run(request(double, items, { claim: before })));
    expect(front.ran).toBe(20);
    expect(Array.from(unpackItems(front.results))).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i));
    expect(claims.close(before, items.length)).toBe(20);
    // Taken while it runs (the worker is inside item 5): it stops where the taken part begins,
    // having run every item before it once.
    flag.fill(0);
    const during = claims.open(items.length);
    const answer = run(request(double, items, { claim: during }));
    await started(flag);
    const unclaimed = claims.unclaimed(during);
    // The worker claims a few items at a time: past item 5, far from the end.
    expect(unclaimed).toBeGreaterThan(0);
    expect(unclaimed).toBeLessThan(40 - 5);
    const taken = claims.share(during)!;
    release(flag);
    expect(taken[0]).toBe(40 - unclaimed + Math.floor(unclaimed / 2));
    expect(taken[1]).toBe(40);
    const out = done(await answer);
    expect(out.ran).toBe(taken[0]);
    expect(claims.close(during, items.length)).toBe(taken[0]);
    expect(Array.from(unpackItems(out.results))).toEqual(Array.from({ length: taken[0] }, (_, i) => 2 * i));
  });

  it("asks for the function when it only got the id, and keeps it once sent", async () => {
    const run = worker();
    const inc = shipFunction((x: number) => x + 1);
    const { fn: _payload, ...idOnly } = request(inc, [1]);
    expect((await run(idOnly)).kind).toBe("miss");
    done(await run(request(inc, [1])));
    expect(Array.from(unpackItems(done(await run(idOnly)).results))).toEqual([2]);
  });

  it("forgets the least recently used function first, when it holds too many", async () => {
    const run = worker();
    const kept = shipFunction((x: number) => x + 1);
    done(await run(request(kept, [1])));
    const makeAdder = (k: number) => shipFunction((x: number) => x + k);
    const first = makeAdder(0);
    for (let k = 0; k < 300; k++) {
      done(await run(request(k === 0 ? first : makeAdder(k), [1])));
      // Used now and then: it stays, however many others came after it.
      if (k % 50 === 49) expect((await run(idOnly(kept))).kind).toBe("done");
    }
    expect((await run(idOnly(kept))).kind).toBe("done");
    expect((await run(idOnly(first))).kind).toBe("miss");
  });

  it("stops at the first error, or runs on with stopOnError: false", async () => {
    const run = worker();
    const failOn1 = shipFunction((x: number) => {
      if (x === 1) throw new TypeError("one");
      return x;
    });
    const stopped = done(await run(request(failOn1, [0, 1, 2], { start: 10 })));
    expect(stopped.ran).toBe(2);
    expect(stopped.errors).toMatchObject([{ index: 11, error: { name: "TypeError", message: "one" } }]);
    const all = done(await run(request(failOn1, [0, 1, 2], { stopOnError: false })));
    expect(all.ran).toBe(3);
    expect(all.results).toEqual([0, undefined, 2]);
    // The stack starts in the user's function, without the worker's own frames.
    expect(all.errors[0]!.error.stack).not.toContain("entry.js");
  });

  it("retires after maxTasksPerChild chunks and says where it stopped", async () => {
    const retired = new Int32Array(new SharedArrayBuffer(64 * 4));
    const run = worker({ maxTasksPerChild: 2, retired });
    const id = shipFunction((x: number) => x);
    const first = done(await run(request(id, [0, 1, 2, 3, 4, 5], { chunksize: 2 })));
    expect(first.ran).toBe(4);
    expect(first.retired).toBe(true);
    expect([...retired].some((slot) => slot > 0)).toBe(true);
    // A retired worker runs nothing more.
    expect(done(await run(request(id, [6, 7], { start: 6, chunksize: 2 }))).ran).toBe(0);
  });

  it("runs the initializer before the first batch, and reports when it throws", async () => {
    const setTag = shipFunction((tag: string) => {
      (globalThis as Record<string, unknown>).entryTestTag = tag;
    });
    const readTag = shipFunction(() => (globalThis as Record<string, unknown>).entryTestTag);
    const ok = worker({ initializer: setTag, initargs: ["set"] });
    expect(done(await ok(request(readTag, [0]))).results).toEqual(["set"]);

    const boom = shipFunction(() => {
      throw new Error("init failed");
    });
    const broken = worker({ initializer: boom });
    expect(await broken(request(readTag, [0]))).toMatchObject({ kind: "init-error", error: { message: "init failed" } });
  });

  it("awaits async functions one item after another", async () => {
    const run = worker();
    const later = shipFunction(async (x: number) => {
      // A real turn of the worker's event loop between items.
      await new Promise((resolve) => setImmediate(resolve));
      return x * 10;
    });
    expect(Array.from(unpackItems(done(await run(request(later, new Float64Array([1, 2, 3])))).results))).toEqual([10, 20, 30]);
  });
});
