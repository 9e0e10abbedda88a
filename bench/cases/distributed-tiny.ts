import { defineCase } from "../lib/case";
import { clusterName, clusterRunner, localRunner, naiveBullmqRunner, QUICK_SKIP } from "../lib/cluster";

const inc = (x: number): number => x + 1;

export default defineCase({
  title: "Distributed: 100 000 tiny items (x + 1) on a cluster of lanes worker processes",
  unit: "items",
  order: 80,
  plan(ctx) {
    const n = ctx.size(100_000, 2_000);
    const items = Array.from({ length: n }, (_, i) => i);
    const naive = items.slice(0, ctx.size(5_000, 200));
    // --quick (npm test): one cluster of one worker process, the subject then.
    const subject = clusterName(ctx.quick ? 1 : 3);
    return {
      items: n,
      subject,
      notes: [
        "Each cluster is a LocalCluster: a redis-server of its own on 127.0.0.1 (no persistence) and `lanes worker` processes of one thread each, on this same machine. Issue 16's target: ≥ 100 k items/s with 3 worker processes.",
        `The naive BullMQ loop runs ${naive.length} of the items (its figures are per item): one job per item, a Worker in the benchmark's process at concurrency 50.`,
      ],
      check(out) {
        const xs = out as number[];
        if (xs.length !== n && xs.length !== naive.length) throw new Error(`wrong length ${xs.length}`);
        if (xs.some((x, i) => x !== i + 1)) throw new Error(`wrong result: ${xs.slice(0, 3).join(", ")}…`);
      },
      runners: [
        clusterRunner(3, (pool) => pool.map(inc, items), ctx.quick ? { skip: QUICK_SKIP } : {}),
        clusterRunner(1, (pool) => pool.map(inc, items), { vs: clusterName(3) }),
        localRunner(ctx.workers, (pool) => pool.map(inc, items)),
        naiveBullmqRunner(naive),
      ],
    };
  },
});
