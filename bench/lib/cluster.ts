/**
 * The distributed backend in the benchmarks: a LocalCluster (a redis-server of its own on
 * 127.0.0.1 and real `lanes worker` processes of one thread each) with a warmed-up pool on it, and
 * the naive way to use BullMQ (one job per item) to compare it with. Each runner starts and stops
 * everything it uses: nothing is left running after its case.
 */
import { LocalCluster, Pool } from "../../src";
import { hasRedisServer, startRedisServer } from "../../src/distributed/redis-server";
import type { Runner, Timed } from "./case";

/**
 * Why a cluster runner does not run in `--quick` (npm test runs the quick benchmarks, which must stay
 * short): only the quick tiny-items case starts a cluster (one worker process), to check the path.
 */
export const QUICK_SKIP = "--quick: only the tiny-items case starts a cluster (one worker process)";

/** Set on every runner here when Debian's redis-server is missing: the rest of the benchmarks still run. */
const NO_REDIS = hasRedisServer() ? undefined : "redis-server is not installed (apt-get install redis-server)";

/** `cluster, 3 worker processes × 1 thread`. */
export function clusterName(processes: number): string {
  return `lanes cluster, ${processes} worker process${processes === 1 ? "" : "es"} × 1 thread`;
}

/** A runner that times `body` on a pool of a LocalCluster of `processes` worker processes. */
export function clusterRunner(processes: number, body: (pool: Pool) => unknown, extra: Partial<Runner> = {}): Runner {
  return {
    name: clusterName(processes),
    peer: "lanes",
    ...extra,
    ...(NO_REDIS === undefined ? {} : { skip: NO_REDIS }),
    async prepare(): Promise<Timed> {
      const cluster = await LocalCluster.start({ workers: processes, threads: 1 });
      const pool = new Pool({ backend: cluster.backend });
      try {
        // Every worker process warmed (function loaded, threads started): one chunk each, and then some.
        await pool.map((x: number) => x, Array.from({ length: processes * 4 }, (_, i) => i), { chunksize: 1 });
      } catch (error) {
        await pool.terminate();
        await cluster.close();
        throw error;
      }
      return {
        run: () => body(pool),
        close: async () => {
          await pool.terminate();
          await cluster.close();
        },
      };
    },
  };
}

/** A local thread pool of `threads` threads (the baseline a cluster is compared with). */
export function localRunner(threads: number, body: (pool: Pool) => unknown, extra: Partial<Runner> = {}): Runner {
  return {
    name: `lanes local Pool, ${threads} threads`,
    peer: "lanes",
    ...extra,
    async prepare(): Promise<Timed> {
      const pool = new Pool(threads);
      await pool.map((x: number) => x, Array.from({ length: threads * 4 }, (_, i) => i), 1);
      return { run: () => body(pool), close: () => pool.terminate() };
    },
  };
}

/**
 * BullMQ as its own docs show it: one job per item added in bulk, a Worker in this process
 * (concurrency 50), `waitUntilFinished` per job (notes/distributed.md: about 2.2 k items/s).
 */
export function naiveBullmqRunner(items: readonly number[]): Runner {
  return {
    name: "naive BullMQ, one job per item",
    peer: "bullmq",
    items: items.length,
    ...(NO_REDIS === undefined ? {} : { skip: NO_REDIS }),
    async prepare(): Promise<Timed> {
      // Loaded here: only this runner needs them, and `require("lanes")` does not load them either.
      const { Queue, QueueEvents, Worker } = await import("bullmq");
      const redis = await startRedisServer();
      const connection = { url: redis.url };
      const queue = new Queue("naive", { connection });
      const events = new QueueEvents("naive", { connection });
      const worker = new Worker("naive", async (job) => (job.data as { x: number }).x + 1, { connection, concurrency: 50 });
      // waitUntilFinished adds a listener per job waited on: thousands at once are meant here.
      queue.setMaxListeners(0);
      events.setMaxListeners(0);
      await events.waitUntilReady();
      await worker.waitUntilReady();
      return {
        async run() {
          const jobs = await queue.addBulk(items.map((x) => ({ name: "x", data: { x }, opts: { removeOnComplete: 1000 } })));
          return Promise.all(jobs.map((j) => j.waitUntilFinished(events) as Promise<number>));
        },
        async close() {
          await worker.close();
          await events.close();
          await queue.close();
          await redis.stop();
        },
      };
    },
  };
}
