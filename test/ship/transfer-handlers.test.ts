import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type * as Lanes from "../../src";

// The package as a notebook loads it (`import * as mp from "lanes"` compiles to `require("lanes")`):
// through Node's own loader, so a shipped function that refers to `mp` has it re-required in the worker.
const mp = createRequire(__filename)("lanes") as typeof Lanes;

/** A class a copy cannot rebuild: its state is in a private field. */
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

describe("registerTransferHandler", () => {
  it("a handler registered in the kernel and from the pool's initializer carries a captured value across", async () => {
    const fee = new Money(250);
    const addFee = (x: number) => x + fee.cents;
    expect(() => mp.shipFunction(addFee)).toThrow(/private fields/);

    mp.registerTransferHandler("test:money", money);
    const pool = new mp.Pool({ processes: 2, initializer: () => mp.registerTransferHandler("test:money", money) });
    try {
      expect(await pool.map(addFee, [1, 2, 3, 4], 1)).toEqual([251, 252, 253, 254]);
    } finally {
      await pool.terminate();
    }
  });

  it("a worker without the handler fails the call, naming the handler and where to register it", async () => {
    mp.registerTransferHandler("test:money", money);
    const fee = new Money(1);
    await mp.Pool.with({ processes: 1 }, async (pool) => {
      await expect(pool.map((x: number) => x + fee.cents, [1])).rejects.toThrow(
        /no transfer handler "test:money" is registered in this worker: .*from the pool's initializer/,
      );
    });
  });
});
