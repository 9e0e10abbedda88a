import { Worker } from "node:worker_threads";
import { defineCase } from "../lib/case";
import { python, pythonSkip } from "../lib/peers";
import { Process } from "../../src";

/** Resolves once `flag[0]` is set, without blocking this thread. */
async function whenSet(flag: Int32Array): Promise<void> {
  const waitAsync = (Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number) => { async: boolean; value: Promise<string> | string } }).waitAsync;
  while (Atomics.load(flag, 0) === 0) {
    const wait = waitAsync(flag, 0, 0);
    if (wait.async) await wait.value;
  }
}

/** What both threads run: say "running" through shared memory. */
const BARE = `const { workerData: f } = require("node:worker_threads"); Atomics.store(f, 0, 1); Atomics.notify(f, 0);`;

export default defineCase({
  title: "Process start-up: new Process to its target running",
  unit: "op",
  order: 65,
  plan(ctx) {
    return {
      items: 1,
      subject: "lanes new Process() + start()",
      runs: 15,
      notes: [
        "Each run creates one thread and waits (Atomics.waitAsync, no polling) until the code it runs has set a flag in shared memory; the thread's exit is awaited off the clock. The bare Worker runs the same two Atomics calls from an eval'd string, with the flag as workerData. Lanes ships the target (a closure) and its args, and loads its bundled Process entry. Python: Process(target, args=(event,)).start() until event.wait() returns (fork start method on Linux), timed inside a fresh interpreter.",
      ],
      targets: [{ text: "within 10 ms of a bare worker_threads Worker", against: "bare new Worker()", withinSeconds: 0.01 }],
      check(out) {
        if (out !== 1) throw new Error(`the flag was not set: ${String(out)}`);
      },
      runners: [
        {
          name: "lanes new Process() + start()",
          peer: "lanes",
          prepare() {
            let p: Process | undefined;
            return {
              run: async () => {
                const flag = new Int32Array(new SharedArrayBuffer(4));
                p = new Process({
                  target: (f: Int32Array) => {
                    Atomics.store(f, 0, 1);
                    Atomics.notify(f, 0);
                  },
                  args: [flag],
                });
                p.start();
                await whenSet(flag);
                return flag[0];
              },
              after: () => p?.join(),
            };
          },
        },
        {
          name: "bare new Worker()",
          peer: "threads",
          prepare() {
            let exited: Promise<unknown> | undefined;
            return {
              run: async () => {
                const flag = new Int32Array(new SharedArrayBuffer(4));
                const w = new Worker(BARE, { eval: true, workerData: flag });
                exited = new Promise((resolve) => w.once("exit", resolve));
                await whenSet(flag);
                return flag[0];
              },
              after: () => exited,
            };
          },
        },
        { name: "python Process().start()", peer: "python", skip: pythonSkip(ctx), prepare: () => python(ctx, "process-startup") },
      ],
    };
  },
});
