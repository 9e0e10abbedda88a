import { defineCase } from "../lib/case";
import { clusterName, clusterRunner, localRunner, QUICK_SKIP } from "../lib/cluster";

const add = (a: number, b: number): number => a + b;

export default defineCase({
  title: "Distributed: one-item apply round trip on a cluster",
  unit: "op",
  order: 82,
  plan(ctx) {
    const subject = clusterName(1);
    const local = `lanes local Pool, ${ctx.workers} threads`;
    return {
      items: 1,
      subject,
      runs: 9,
      notes: ["One `pool.apply` from call to result: the chunk goes through Redis (BullMQ job, signed), runs in a `lanes worker` thread, and its result comes back through the pool's Redis list. Issue 16's target: ≤ 20 ms."],
      targets: [{ text: "≤ 20 ms more than the local pool's round trip", against: local, withinSeconds: 0.02 }],
      check(out) {
        if (out !== 3) throw new Error(`wrong result: ${String(out)}`);
      },
      runners: [
        clusterRunner(1, (pool) => pool.apply(add, [1, 2]), { inner: 10, ...(ctx.quick ? { skip: QUICK_SKIP } : {}) }),
        localRunner(ctx.workers, (pool) => pool.apply(add, [1, 2]), { inner: 10 }),
      ],
    };
  },
});
