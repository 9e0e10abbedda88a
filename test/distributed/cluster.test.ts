/**
 * LocalCluster (redis-server + worker processes in one call, stopped in one call, no orphans) and
 * the `lanes worker` command line: --help, the refusal to start without a key, SIGTERM draining.
 */
import { spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisServerMissingError } from "../../src/errors";
import { Pool } from "../../src/pool";
import { LocalCluster } from "../../src/distributed/local-cluster";
import { cliFile } from "../../src/distributed/cli-file";
import { startRedisServer, type RedisServer } from "../../src/distributed/redis-server";
import { alive, KEY, readyWorker, spawnWorker, stopWorkers, until } from "./helpers";

describe("LocalCluster", () => {
  it("starts redis-server and N workers, runs a map, and close() leaves no process behind", async () => {
    const cluster = await LocalCluster.start({ workers: 3 });
    const pids = [...cluster.pids, cluster.redisPid!];
    expect(cluster.pids).toHaveLength(3);
    expect(cluster.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    const pool = new Pool({ backend: cluster.backend });
    try {
      const items = Array.from({ length: 3_000 }, (_, i) => i);
      await expect(pool.map((x: number) => x * x, items, { chunksize: 50 })).resolves.toEqual(items.map((x) => x * x));
    } finally {
      await pool.terminate();
      await cluster.close();
    }
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
  });

  it("without redis-server on the machine: an error naming the package, and nothing started", async () => {
    const saved = process.env.PATH;
    process.env.PATH = "/nonexistent-lanes-test";
    try {
      const error = await LocalCluster.start({ workers: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisServerMissingError);
      expect((error as Error).message).toContain("apt-get install redis-server");
    } finally {
      process.env.PATH = saved;
    }
  });

  it("a cluster whose owner was killed outright leaves no orphan: its workers and redis-server exit", async () => {
    const script = `
      const { LocalCluster } = require(${JSON.stringify(require.resolve("../../dist/distributed/local-cluster.js"))});
      LocalCluster.start({ workers: 2 }).then((c) => console.log("pids " + JSON.stringify([...c.pids, c.redisPid])));
      setInterval(() => {}, 1000);
    `;
    const { spawn } = await import("node:child_process");
    const owner = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    // The owner's line, as an event (its exit first means the cluster never started).
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: owner.stdout }).on("line", (l) => l.startsWith("pids ") && resolve(l));
      owner.once("exit", (code) => reject(new Error(`the owner exited (${code}) before its cluster started`)));
    });
    const pids = JSON.parse(line.slice("pids ".length)) as number[];
    owner.kill("SIGKILL");
    await until(() => pids.every((pid) => !alive(pid)), `pids ${pids.join(", ")} to exit after their owner was SIGKILLed`);
  });
});

describe("lanes worker (the command line)", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.stop());

  it("--help explains it and exits 0", () => {
    const run = spawnSync(process.execPath, [cliFile(), "worker", "--help"], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("--redis <url>");
    expect(run.stdout).toContain("--concurrency");
    expect(run.stdout).toContain("--insecure");
    expect(run.stdout).toContain("SIGTERM");
  });

  it("refuses to start without a key unless told --insecure", async () => {
    const refused = spawnWorker(redis.url, { key: undefined });
    expect(await refused.exited).toBe(2);
    expect(refused.lines.join("\n")).toContain("LANES_KEY");
    const insecure = await readyWorker(redis.url, { key: undefined, insecure: true });
    expect(insecure.lines.join("\n")).toContain("INSECURE");
    await stopWorkers([insecure]);
  });

  it("an unreachable Redis: a clear error naming the URL, and exit code 2", async () => {
    const worker = spawnWorker("redis://127.0.0.1:1");
    expect(await worker.exited).toBe(2);
    expect(worker.lines.join("\n")).toContain("Cannot reach Redis at redis://127.0.0.1:1");
  });

  it("SIGTERM: the worker finishes its running chunk, its result arrives, then it exits 0", async () => {
    const worker = await readyWorker(redis.url, { queue: "drain" });
    const pool = new Pool({ backend: { url: redis.url, key: KEY, queue: "drain" } });
    try {
      const call = pool.map((ms: number) => {
        const end = Date.now() + ms;
        while (Date.now() < end);
        return ms;
      }, [1_500], { chunksize: 1 });
      // The chunk is running once the worker holds the job's lock (BullMQ's active list).
      const { default: IORedis } = await import("ioredis");
      const r = new IORedis(redis.url);
      await until(async () => (await r.llen("bull:drain:active")) === 1, "the chunk to be taken");
      r.disconnect();
      worker.kill("SIGTERM");
      await expect(call).resolves.toEqual([1_500]);
      expect(await worker.exited).toBe(0);
      expect(worker.lines.join("\n")).toContain("finishing running chunks");
    } finally {
      await pool.terminate();
      await stopWorkers([worker]);
    }
  });
});

describe("a Redis with a password", () => {
  it("works through a redis://:password@host URL, and messages never show the password", async () => {
    const redis = await startRedisServer({ args: ["--requirepass", "s3cret-pass"] });
    const url = redis.url.replace("redis://", "redis://:s3cret-pass@");
    const worker = await readyWorker(url);
    const pool = new Pool({ backend: { url, key: KEY } });
    try {
      await expect(pool.map((x: number) => x + 1, [1, 2, 3])).resolves.toEqual([2, 3, 4]);
      expect(worker.lines.join("\n")).not.toContain("s3cret-pass");
      expect(worker.lines.join("\n")).toContain("redis://:***@127.0.0.1");
      const wrong = new Pool({ backend: { url: redis.url.replace("redis://", "redis://:wrong@"), key: KEY } });
      const error = await wrong.map((x: number) => x, [1]).catch((e: unknown) => e);
      expect((error as Error).message).toContain("redis://:***@127.0.0.1");
      expect((error as Error).message).not.toContain("wrong@");
      await wrong.terminate();
    } finally {
      await pool.terminate();
      await stopWorkers([worker]);
      await redis.stop();
    }
  });
});
