/**
 * What a cluster survives: a worker process SIGKILLed in the middle of a chunk (another worker runs
 * the chunk again once its lock lapses), and Redis restarted in the middle of a map (it comes back
 * empty, having no persistence; the pool puts back what was lost and the map completes).
 */
import IORedis from "ioredis";
import { describe, expect, it } from "vitest";
import { RedisUnreachableError } from "../../src/errors";
import { Pool } from "../../src/pool";
import { startRedisServer } from "../../src/distributed/redis-server";
import { KEY, readyWorker, stopWorkers, until } from "./helpers";

function spin(ms: number): number {
  const end = Date.now() + ms;
  while (Date.now() < end);
  return ms;
}

describe("faults on a cluster", () => {
  it("a worker SIGKILLed mid-chunk: another worker runs the chunk again and the map completes, each item once", async () => {
    const redis = await startRedisServer();
    // Short locks keep the test short; recovery takes about lockDuration + stalledInterval.
    const opts = { lockDuration: 2_000, stalledInterval: 2_000 };
    const workers = await Promise.all([readyWorker(redis.url, opts), readyWorker(redis.url, opts)]);
    const pool = new Pool({ backend: { url: redis.url, key: KEY } });
    const r = new IORedis(redis.url);
    try {
      const items = Array.from({ length: 6 }, (_, i) => 1_000 + i);
      const call = pool.map((ms: number) => {
        const end = Date.now() + ms;
        while (Date.now() < end);
        return ms;
      }, items, { chunksize: 1 });
      await until(async () => (await r.llen("bull:lanes:active")) === 2, "both workers to be running a chunk");
      workers[0].kill("SIGKILL");
      await expect(call).resolves.toEqual(items);
      await workers[1].waitFor("stalled");
    } finally {
      r.disconnect();
      await pool.terminate();
      await stopWorkers(workers);
      await redis.stop();
    }
  }, 120_000);

  it("Redis restarted mid-map (losing every key): the pool and workers reconnect, the lost chunks are queued again, and the map completes", async () => {
    const first = await startRedisServer();
    const port = first.port;
    const workers = await Promise.all([readyWorker(first.url), readyWorker(first.url)]);
    const pool = new Pool({ backend: { url: first.url, key: KEY } });
    let second: Awaited<ReturnType<typeof startRedisServer>> | undefined;
    const r = new IORedis(first.url, { maxRetriesPerRequest: 1 });
    r.on("error", () => undefined);
    try {
      const items = Array.from({ length: 12 }, (_, i) => 300 + i);
      const call = pool.map(spin, items, { chunksize: 1 });
      await until(async () => (await r.llen("bull:lanes:active")) > 0, "a chunk to be running");
      r.disconnect();
      await first.stop();
      second = await startRedisServer({ port });
      await expect(call).resolves.toEqual(items);
    } finally {
      await pool.terminate();
      await stopWorkers(workers);
      await second?.stop();
      await first.stop();
    }
  }, 180_000);

  it("Redis gone for longer than reconnectTimeout: the call fails with a RedisUnreachableError", async () => {
    const redis = await startRedisServer();
    const workers = [await readyWorker(redis.url)];
    const pool = new Pool({ backend: { url: redis.url, key: KEY, reconnectTimeout: 2_000 } });
    try {
      await pool.map((x: number) => x, [1]);
      const call = pool.map(spin, [2_000, 2_000], { chunksize: 1 });
      await redis.stop();
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisUnreachableError);
      expect((error as Error).message).toContain(redis.url);
    } finally {
      await pool.terminate();
      await stopWorkers(workers);
    }
  }, 120_000);
});
