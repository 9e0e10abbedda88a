import { Worker } from "node:worker_threads";
import { defineCase } from "../lib/case";
import { Process, Queue } from "../../src";

/** What the bare thread runs: its first item, sent the way a bare Worker sends one (postMessage). */
const BARE = `require("node:worker_threads").parentPort.postMessage(1);`;

export default defineCase({
  title: "Process start-up: new Process to its first item on a Queue",
  unit: "op",
  order: 66,
  plan() {
    return {
      items: 1,
      subject: "lanes new Process() → queue.get()",
      runs: 15,
      notes: [
        "Each run creates one thread and waits until the first item it sends has arrived on the kernel thread; the thread's exit is awaited off the clock. Lanes: a Process whose target puts 1 on a Queue passed in its args (shipped, and arriving shared), the kernel awaiting queue.get(). The bare Worker runs one postMessage(1) from an eval'd string, the kernel awaiting its 'message' event: the same item, sent the way a bare thread sends one.",
      ],
      targets: [{ text: "within 10 ms of a bare worker_threads Worker", against: "bare new Worker() → 'message'", withinSeconds: 0.01 }],
      check(out) {
        if (out !== 1) throw new Error(`the first item was not 1: ${String(out)}`);
      },
      runners: [
        {
          name: "lanes new Process() → queue.get()",
          peer: "lanes",
          prepare() {
            let p: Process | undefined;
            return {
              run: async () => {
                const q = new Queue<number>();
                p = new Process({ target: (queue: Queue<number>) => queue.putSync(1), args: [q] });
                p.start();
                return q.get();
              },
              after: () => p?.join(),
            };
          },
        },
        {
          name: "bare new Worker() → 'message'",
          peer: "threads",
          prepare() {
            let exited: Promise<unknown> | undefined;
            return {
              run: async () => {
                const w = new Worker(BARE, { eval: true });
                exited = new Promise((resolve) => w.once("exit", resolve));
                return new Promise((resolve, reject) => {
                  w.once("message", resolve);
                  w.once("error", reject);
                });
              },
              after: () => exited,
            };
          },
        },
      ],
    };
  },
});
