import { defineCase } from "../lib/case";
import { clusterName, clusterRunner, localRunner, QUICK_SKIP } from "../lib/cluster";
import { countPrimes } from "../lib/tasks";

export default defineCase({
  title: "Distributed: CPU-bound primes on worker processes of one thread vs the local thread pool",
  unit: "items",
  order: 81,
  plan(ctx) {
    const limit = ctx.size(200_000, 2_000);
    const n = ctx.size(32, 4);
    const items = Array<number>(n).fill(limit);
    const expected = countPrimes(limit);
    const w = ctx.workers;
    const subject = clusterName(w);
    const local = `lanes local Pool, ${w} threads`;
    return {
      items: n,
      subject,
      runs: 7,
      notes: [
        `${w} \`lanes worker\` processes of one thread each (a LocalCluster on this machine) against a local pool of ${w} threads: the same cores, so the difference is what Redis and the processes cost.`,
        "Both with their default chunksize (the same rule: ceil(n / (4 × threads))): a job costs a few ms of Redis round trips, which one item per job would pay 32 times.",
      ],
      targets: [{ text: `within 15% of the ${w}-thread local pool`, against: local, atLeast: 1 / 1.15 }],
      check(out) {
        const xs = out as number[];
        if (xs.length !== n || xs.some((x) => x !== expected)) throw new Error(`wrong result: ${xs.slice(0, 3).join(", ")}…, expected ${expected}`);
      },
      runners: [
        clusterRunner(w, (pool) => pool.map(countPrimes, items), ctx.quick ? { skip: QUICK_SKIP } : {}),
        clusterRunner(1, (pool) => pool.map(countPrimes, items), { vs: subject, ...(ctx.quick ? { skip: QUICK_SKIP } : {}) }),
        localRunner(w, (pool) => pool.map(countPrimes, items)),
      ],
    };
  },
});
