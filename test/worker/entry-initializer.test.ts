import { createRequire } from "node:module";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import type * as Lanes from "../../src";
import { ClaimTable } from "../../src/pool/claim-table";
import { NO_CLAIM } from "../../src/pool/claims";
import { newProgressTable } from "../../src/pool/progress";
import type { BatchRequest, BatchResponse, WorkerSetup } from "../../src/pool/protocol";
import { shipFunction } from "../../src/ship";

// The package through Node's own loader, as a notebook has it: the initializer's `mp` is re-required in the worker.
const mp = createRequire(__filename)("lanes") as typeof Lanes;

class Money {
  readonly #cents: number;
  constructor(cents: number) {
    this.#cents = cents;
  }
  get cents(): number {
    return this.#cents;
  }
}

const money: Lanes.TransferHandler<Money, number> = {
  canHandle: (v): v is Money => v instanceof Money,
  serialize: (m) => m.cents,
  deserialize: (cents) => new Money(cents),
};

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

function next(worker: Worker, kind: string): Promise<{ kind: string; answer?: BatchResponse }> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { kind: string; answer?: BatchResponse }) => {
      if (m.kind !== kind) return;
      worker.off("message", onMessage);
      resolve(m);
    };
    worker.on("message", onMessage);
    worker.once("error", reject);
  });
}

describe("worker entry and the initializer", () => {
  it("rebuilds a batch's function only after an async initializer finished (it may register a transfer handler)", async () => {
    mp.registerTransferHandler("test:money-entry", money);
    const ready = new Int32Array(new SharedArrayBuffer(4));
    const initializer = shipFunction(async (flag: Int32Array) => {
      // Atomics.waitAsync is in Node 20, not yet in this project's TypeScript lib.
      const atomics = Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { value: Promise<string> | string } };
      await atomics.waitAsync(flag, 0, 0).value;
      mp.registerTransferHandler("test:money-entry", money);
    });
    const setup: WorkerSetup & { entryFile: string } = {
      initializer,
      initargs: [ready],
      maxTasksPerChild: 0,
      retired: new Int32Array(new SharedArrayBuffer(64 * 4)),
      claims: new ClaimTable().table,
      progress: newProgressTable(),
      entryFile: join(__dirname, "..", "..", "dist", "worker", "entry.js"),
    };
    const worker = new Worker(join(__dirname, "fixtures", "entry-host.js"), { workerData: setup });
    workers.push(worker);

    const fee = new Money(100);
    const fn = shipFunction((x: number) => x + fee.cents);
    const req: BatchRequest = { fnId: fn.id, fn, star: false, start: 0, items: new Float64Array([1, 2]), chunksize: 1, stopOnError: true, claim: NO_CLAIM, token: 1 };
    const handled = next(worker, "handled");
    const answered = next(worker, "answer");
    worker.postMessage(req);
    // The batch reached the worker while the initializer still waits: only now let it go on.
    await handled;
    Atomics.store(ready, 0, 1);
    Atomics.notify(ready, 0);
    const { answer } = await answered;
    expect(answer).toMatchObject({ kind: "done", ran: 2 });
    expect(Array.from((answer as Extract<BatchResponse, { kind: "done" }>).results as Float64Array)).toEqual([101, 102]);
  });
});
