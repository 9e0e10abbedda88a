import { defineCase } from "../lib/case";
import { Lock, RLock, Semaphore } from "../../src";

export default defineCase({
  title: "Shared memory: uncontended acquire + release, one thread",
  unit: "items",
  order: 91,
  plan(ctx) {
    const n = ctx.size(2_000_000, 2_000);
    const loop = (lock: { acquire(): boolean; release(): void }) => () => {
      for (let i = 0; i < n; i++) {
        lock.acquire();
        lock.release();
      }
      return n;
    };
    return {
      items: n,
      subject: "lanes Lock",
      notes: ["On the kernel thread (uncontended: acquire never has to wait, so the blocking form is allowed there). One item = one acquire + release."],
      check(out) {
        if (out !== n) throw new Error(`wrong count ${String(out)}`);
      },
      runners: [
        { name: "lanes Lock", peer: "lanes", prepare: () => ({ run: loop(new Lock()) }) },
        { name: "lanes RLock", peer: "lanes", prepare: () => ({ run: loop(new RLock()) }) },
        { name: "lanes Semaphore(1)", peer: "lanes", prepare: () => ({ run: loop(new Semaphore(1)) }) },
        {
          name: "bare compareExchange + store (the floor)",
          peer: "serial",
          prepare: () => {
            const w = new Int32Array(new SharedArrayBuffer(4));
            return {
              run: () => {
                for (let i = 0; i < n; i++) {
                  Atomics.compareExchange(w, 0, 0, 1);
                  Atomics.store(w, 0, 0);
                }
                return n;
              },
            };
          },
        },
      ],
    };
  },
});
