// `node bench/distributed.mjs [--quick]`: the distributed backend side by side with the local thread
// pool and a naive one-job-per-item BullMQ loop, in one run, on a redis-server of its own (127.0.0.1,
// a free port, no persistence) and real `lanes worker` processes. Prints a markdown table and writes
// bench/results/distributed-latest.md. Medians of several runs; the machine is shared, so read ratios.
// The throughput and round-trip figures are also cases of `npm run bench` (bench/cases/distributed-*.ts);
// this script stays for the SIGKILL recovery time, which a round-robin of timed runs does not fit.
import { createRequire } from "node:module";
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cpus, loadavg } from "node:os";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const mp = require(join(root, "dist", "index.js"));
const { startRedisServer } = require(join(root, "dist", "distributed", "redis-server.js"));
const { Queue, Worker } = require("bullmq");
const quick = process.argv.includes("--quick");
const RUNS = quick ? 1 : 5;
const TINY = quick ? 10_000 : 100_000;
const PRIMES_LIMIT = quick ? 20_000 : 200_000;
const PRIMES_ITEMS = quick ? 8 : 32;
const NAIVE = quick ? 500 : 5_000;

function countPrimes(limit) {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; }
    if (prime) count++;
  }
  return count;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(fn, runs = RUNS) {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

const rows = [];
const row = (bench, setup, ms, items, note = "") => {
  rows.push({ bench, setup, ms, rate: items / (ms / 1000), note });
  process.stderr.write(`${bench} | ${setup} | ${ms.toFixed(1)} ms\n`);
};

const redis = await startRedisServer();
const tiny = Array.from({ length: TINY }, (_, i) => i);
const primes = Array(PRIMES_ITEMS).fill(PRIMES_LIMIT);
try {
  // Local thread pool (2 threads: this machine has 2 cores).
  const local = new mp.Pool(2);
  await local.map((x) => x + 1, [1, 2, 3]);
  row("tiny x+1", "local Pool, 2 threads", await time(() => local.map((x) => x + 1, tiny)), TINY);
  row("primes", "local Pool, 2 threads", await time(() => local.map(countPrimes, primes, { chunksize: 1 })), PRIMES_ITEMS);
  row("apply round trip", "local Pool", await time(async () => { for (let i = 0; i < 100; i++) await local.apply((a, b) => a + b, [1, 2]); }) / 100, 1);
  await local.terminate();

  for (const workers of [1, 2, 3]) {
    const cluster = await mp.LocalCluster.start({ workers, redis: redis.url, queue: `bench${workers}` });
    const pool = new mp.Pool({ backend: cluster.backend });
    await pool.map((x) => x + 1, [1, 2, 3]);
    const label = `cluster, ${workers} worker process${workers === 1 ? "" : "es"} × 1 thread`;
    row("tiny x+1", label, await time(() => pool.map((x) => x + 1, tiny)), TINY);
    row("primes", label, await time(() => pool.map(countPrimes, primes, { chunksize: 1 })), PRIMES_ITEMS);
    if (workers === 1) row("apply round trip", label, await time(async () => { for (let i = 0; i < 100; i++) await pool.apply((a, b) => a + b, [1, 2]); }) / 100, 1);
    await pool.terminate();
    await cluster.close();
  }

  // Naive: one BullMQ job per item, waitUntilFinished per job (notes/distributed.md's 2.2 k items/s).
  {
    const { QueueEvents } = require("bullmq");
    const connection = { url: redis.url };
    const queue = new Queue("naive", { connection });
    const events = new QueueEvents("naive", { connection });
    const worker = new Worker("naive", async (job) => job.data.x + 1, { connection, concurrency: 50 });
    await events.waitUntilReady();
    const items = tiny.slice(0, NAIVE);
    const ms = await time(async () => {
      const jobs = await queue.addBulk(items.map((x) => ({ name: "x", data: { x }, opts: { removeOnComplete: 1000 } })));
      await Promise.all(jobs.map((j) => j.waitUntilFinished(events)));
    }, 1);
    row("tiny x+1", `naive BullMQ, one job per item (${NAIVE} items)`, ms, NAIVE, "in-process worker, concurrency 50");
    await worker.close();
    await events.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }

  // Recovery after a SIGKILLed worker, with the defaults Lanes sets (lock 5 s, stalled check every 5 s).
  {
    const cluster = await mp.LocalCluster.start({ workers: 2, redis: redis.url, queue: "recovery" });
    const pool = new mp.Pool({ backend: cluster.backend });
    const IORedis = require("ioredis");
    const r = new IORedis(redis.url);
    const call = pool.map((ms) => { const end = Date.now() + ms; while (Date.now() < end); return Date.now(); }, [3000, 3000], { chunksize: 1 });
    while ((await r.llen("bull:recovery:active")) < 2) await new Promise((res) => setTimeout(res, 20));
    const killedAt = Date.now();
    process.kill(cluster.pids[0], "SIGKILL");
    const done = await call;
    const recovery = Math.max(...done) - killedAt - 3000;
    rows.push({ bench: "SIGKILLed worker", setup: "defaults: lockDuration 5 s, stalledInterval 5 s", ms: recovery, rate: NaN, note: "time from the kill until the chunk ran again elsewhere (its 3 s run excluded)" });
    process.stderr.write(`recovery ${recovery} ms\n`);
    r.disconnect();
    await pool.terminate();
    await cluster.close();
  }
} finally {
  await redis.stop();
}

const fmt = (x) => (Number.isFinite(x) ? (x >= 100 ? Math.round(x).toLocaleString("en") : x.toFixed(1)) : "–");
const lines = [
  `# Distributed backend vs local pool (${new Date().toISOString()})`,
  "",
  `${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}; ${RUNS} runs, median. Redis ${"7"} on loopback, no persistence. tiny: ${TINY} items; primes: ${PRIMES_ITEMS} × countPrimes(${PRIMES_LIMIT}).`,
  "",
  "| bench | setup | ms | items/s | note |",
  "|---|---|---:|---:|---|",
  ...rows.map((r) => `| ${r.bench} | ${r.setup} | ${fmt(r.ms)} | ${fmt(r.rate)} | ${r.note} |`),
  "",
];
const text = lines.join("\n");
console.log(text);
if (!quick) {
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "distributed-latest.md"), text);
}
process.exit(0);
