/**
 * A distributed pool on a real redis-server with two real `lanes worker` processes: the same calls
 * and options as a local pool, results in order and exactly once, errors at their index, nothing
 * left in Redis after a call, and the refusals (shared memory, no key, unreachable Redis).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import IORedis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, AggregateTaskError, ClusterKeyError, NotDistributableError, RedisUnreachableError, RemoteError, TimeoutError } from "../../src/errors";
import { Pool } from "../../src/pool";
import { Value } from "../../src/shared";
import { freePort, startRedisServer, type RedisServer } from "../../src/distributed/redis-server";
import { allKeys, anyLine, KEY, readyWorker, stopWorkers, until, type TestWorker } from "./helpers";

let redis: RedisServer;
let workers: TestWorker[];
let pool: Pool;
/** Keys a warm cluster holds between calls (BullMQ's queue meta, the workers' registrations). */
let baseline: string[];

beforeAll(async () => {
  redis = await startRedisServer();
  workers = await Promise.all([readyWorker(redis.url), readyWorker(redis.url)]);
  pool = new Pool({ backend: { url: redis.url, key: KEY } });
  await pool.map((x: number) => x, [1, 2, 3]);
  baseline = await allKeys(redis.url);
}, 120_000);

afterAll(async () => {
  await pool?.terminate();
  await stopWorkers(workers ?? []);
  await redis?.stop();
});

describe("a pool on a cluster (backend)", () => {
  it("map: results in input order, each exactly once, and Redis holds no more keys after the call than before", async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    await expect(pool.map((x: number) => x * 2, items, { chunksize: 97 })).resolves.toEqual(items.map((x) => x * 2));
    expect(await allKeys(redis.url)).toEqual(baseline);
  });

  it("map over records, strings and Maps, with the default chunksize", async () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ id: i, name: `n${i}`, tags: new Map([["k", i]]) }));
    const out = await pool.map((r: { id: number; name: string; tags: Map<string, number> }) => `${r.name}:${r.tags.get("k")! + r.id}`, items);
    expect(out).toEqual(items.map((r) => `n${r.id}:${2 * r.id}`));
  });

  it("starmap and apply", async () => {
    await expect(pool.starmap((a: number, b: number) => a * b, [[2, 3], [4, 5], [6, 7]])).resolves.toEqual([6, 20, 42]);
    await expect(pool.apply((a: number, b: string) => b.repeat(a), [3, "ab"])).resolves.toBe("ababab");
  });

  it("imap yields in input order, imapUnordered yields every result once", async () => {
    const items = Array.from({ length: 500 }, (_, i) => i);
    const ordered: number[] = [];
    for await (const r of pool.imap((x: number) => x + 1, items, { chunksize: 7 })) ordered.push(r);
    expect(ordered).toEqual(items.map((x) => x + 1));
    const unordered: number[] = [];
    function* gen(): Generator<number> {
      yield* items;
    }
    for await (const r of pool.imapUnordered((x: number) => x + 1, gen(), { chunksize: 11 })) unordered.push(r);
    expect(unordered.sort((a, b) => a - b)).toEqual(items.map((x) => x + 1));
  });

  it("breaking out of imap stops the call and leaves no keys", async () => {
    let seen = 0;
    for await (const r of pool.imap((x: number) => x, Array.from({ length: 5_000 }, (_, i) => i), { chunksize: 10 })) {
      expect(r).toBe(seen);
      if (++seen === 25) break;
    }
    await until(async () => JSON.stringify(await allKeys(redis.url)) === JSON.stringify(baseline), "the broken-off call's keys and jobs to go");
  });

  it("a thrown error arrives as a RemoteError at its index", async () => {
    const error = await pool.map((x: number) => {
      if (x === 42) throw new TypeError(`no ${x}`);
      return x;
    }, Array.from({ length: 100 }, (_, i) => i), { chunksize: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).remoteName).toBe("TypeError");
    expect((error as RemoteError).index).toBe(42);
    expect((error as RemoteError).message).toBe("no 42");
    await until(async () => JSON.stringify(await allKeys(redis.url)) === JSON.stringify(baseline), "the failed call's keys and jobs to go");
  });

  it("stopOnError: false runs every item and gathers the errors, as locally", async () => {
    const error = await pool.map((x: number) => {
      if (x % 3 === 0) throw new RangeError(`bad ${x}`);
      return x * 10;
    }, [0, 1, 2, 3, 4, 5, 6], { stopOnError: false, chunksize: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateTaskError);
    const agg = error as AggregateTaskError<number>;
    expect(agg.errors.map((e) => e.index)).toEqual([0, 3, 6]);
    expect(agg.results).toEqual([undefined, 10, 20, undefined, 40, 50, undefined]);
  });

  it("timeout: an item that runs too long fails with a TimeoutError at its index; the others complete", async () => {
    const error = await pool.map((x: number) => {
      if (x === 2) for (;;); // never returns: only ending its thread stops it
      return x;
    }, [0, 1, 2, 3], { timeout: 1_000, stopOnError: false, chunksize: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateTaskError);
    const agg = error as AggregateTaskError<number>;
    expect(agg.errors).toHaveLength(1);
    expect(agg.errors[0]).toBeInstanceOf(TimeoutError);
    expect(agg.errors[0]!.index).toBe(2);
    expect((agg.errors[0] as TimeoutError).timeout).toBe(1_000);
    expect(agg.results).toEqual([0, 1, undefined, 3]);
  });

  it("an AbortSignal stops the call: AbortError, and its jobs and keys go", async () => {
    const controller = new AbortController();
    const call = pool.map((ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end);
      return ms;
    }, Array.from({ length: 40 }, () => 500), { chunksize: 1, signal: controller.signal });
    await until(async () => (await allKeys(redis.url)).some((k) => k.startsWith("bull:lanes:") && /-\d+$/.test(k)), "the call's jobs to be queued");
    controller.abort("enough");
    await expect(call).rejects.toBeInstanceOf(AbortError);
    await until(async () => JSON.stringify(await allKeys(redis.url)) === JSON.stringify(baseline), "the aborted call's keys and jobs to go");
  });

  it("refuses a shared-memory object before anything is queued", async () => {
    const counter = new Value("i", 0);
    const before = await allKeys(redis.url);
    await expect(pool.map((v: unknown) => v, [1, counter, 3])).rejects.toBeInstanceOf(NotDistributableError);
    await expect(pool.map(() => counter.value, [1, 2])).rejects.toBeInstanceOf(NotDistributableError);
    await expect(pool.apply((v: unknown) => v, [new SharedArrayBuffer(8)])).rejects.toBeInstanceOf(NotDistributableError);
    expect(await allKeys(redis.url)).toEqual(before);
  });

  it("records one span per chunk, on lanes of the workers' threads", async () => {
    await pool.map((x: number) => x, Array.from({ length: 40 }, (_, i) => i), { chunksize: 10 });
    const timeline = pool.timeline();
    const spans = timeline.spans();
    expect(spans).toHaveLength(4);
    expect(timeline.done).toBe(40);
    const pids = new Set(workers.map((w) => String(w.child.pid)));
    for (const s of spans) {
      expect(s.outcome).toBe("ok");
      // The lane's name is the worker process (host:pid) and its thread.
      const name = pool.laneNames[s.worker];
      expect(name).toMatch(/^.+:\d+\/\d+$/);
      expect(pids.has(name!.split(":").at(-1)!.split("/")[0]!)).toBe(true);
    }
  });

  it("the timeline names each lane host:pid/threadId of the real worker process that ran it, in the payload and every fallback", async () => {
    const { hostname } = await import("node:os");
    const { timelineSvg } = await import("../../src/display/timeline-svg");
    const { timelineHtml } = await import("../../src/display/timeline-html");
    await pool.map((x: number) => x + 1, Array.from({ length: 60 }, (_, i) => i), { chunksize: 5 });
    const timeline = pool.timeline();
    const payload = timeline.toPayload();
    const labels = payload.laneLabels ?? [];
    const pids = new Set(workers.map((w) => String(w.child.pid)));
    const used = new Set(timeline.spans().map((s) => s.worker));
    expect(used.size).toBeGreaterThan(0);
    for (const lane of used) {
      const label = labels[lane];
      // host:pid of the worker process, then the worker thread inside it.
      const match = /^(.+):(\d+)\/(\d+)$/.exec(label ?? "");
      expect(match, `lane ${lane} is labelled "${label}"`).not.toBeNull();
      expect(match![1]).toBe(hostname());
      expect(pids.has(match![2]!)).toBe(true);
      expect(label).toBe(pool.laneNames[lane]);
    }
    const spans = timeline.spans();
    const text = timeline.toString();
    const svg = timelineSvg(payload, spans);
    const html = timelineHtml(payload, spans);
    for (const lane of used) {
      expect(text).toContain(`\n${labels[lane]!} `);
      expect(svg).toContain(`on ${labels[lane]!}</title>`);
      expect(html).toContain(labels[lane]!);
    }
    expect(text).not.toMatch(/^worker \d/m);
  });

  it("progress: one display updated in place while chunks come back, ending with the final timeline", async () => {
    const { setDisplayAdapter } = await import("../../src/display/current-adapter");
    const { fakeAdapter } = await import("../display/fake-adapter");
    const { TIMELINE_MIME } = await import("../../src/wire");
    const adapter = fakeAdapter();
    setDisplayAdapter(adapter);
    try {
      const items = Array.from({ length: 8 }, () => 150);
      await expect(pool.map((ms: number) => {
        const end = Date.now() + ms;
        while (Date.now() < end);
        return ms;
      }, items, { chunksize: 1, progress: true })).resolves.toEqual(items);
    } finally {
      setDisplayAdapter(undefined);
    }
    const sent = adapter.sent;
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent[0]!.kind).toBe("display");
    expect(sent.slice(1).every((m) => m.kind === "update")).toBe(true);
    expect(new Set(sent.map((m) => m.id)).size).toBe(1);
    expect(sent.at(-1)!.bundle[TIMELINE_MIME]).toMatchObject({ live: false, done: 8, total: 8 });
    // The display's updates name the cluster's lanes too (the same recorder builds them).
    const live = sent.slice(1).map((m) => m.bundle[TIMELINE_MIME] as { laneLabels?: string[]; spans: { count: number } });
    expect(live.some((p) => p.spans.count > 0 && (p.laneLabels ?? []).some((l) => /^.+:\d+\/\d+$/.test(l)))).toBe(true);
  });

  it("a worker refuses a job not signed with the cluster key, logs it and runs none of it; the map still completes", async () => {
    const { Queue } = await import("bullmq");
    const { seal } = await import("../../src/distributed/envelope");
    const { shipFunction } = await import("../../src/ship");
    const dir = mkdtempSync(join(tmpdir(), "lanes-forged-"));
    const marker = join(dir, "forged");
    const control = join(dir, "signed");
    const queue = new Queue("lanes", { connection: { url: redis.url } });
    const redisClient = new IORedis(redis.url);
    try {
      const writes = (file: string) =>
        shipFunction(
          () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            (require("node:fs") as typeof import("node:fs")).writeFileSync(file, "ran");
          },
          { context: { file } },
        );
      // A live call key: a worker would run these (the control shows it does, once signed with the key).
      await redisClient.set("lanes:lanes:call:forged", "1", "PX", 60_000);
      const task = (file: string) => ({ call: "forged", chunk: 0, start: 0, items: [1], fn: writes(file), star: false, chunksize: 1, stopOnError: true, timeout: 0, reply: "lanes:lanes:results:forged" });
      await queue.add("evil", seal(task(marker), Buffer.from("not-the-cluster-key-at-all")), { jobId: "forged-1", removeOnFail: true });
      await queue.add("evil", { b: "AAAA", s: "" }, { jobId: "forged-2", removeOnFail: true });
      const items = Array.from({ length: 200 }, (_, i) => i);
      await expect(pool.map((x: number) => -x, items, { chunksize: 20 })).resolves.toEqual(items.map((x) => -x));
      const refusals = () => workers.flatMap((w) => w.lines).filter((l) => l.includes("REFUSED job forged-"));
      // Each forged job is refused by whichever worker took it: wait for both lines, then count them.
      await Promise.all(["forged-1", "forged-2"].map((id) => anyLine(workers, `REFUSED job ${id}:`)));
      expect(refusals()).toHaveLength(2);
      expect(existsSync(marker)).toBe(false);
      // The control: the same job signed with the cluster key does run.
      await queue.add("signed", seal(task(control), Buffer.from(KEY)), { jobId: "signed-1", removeOnComplete: true });
      await until(() => existsSync(control), "the signed control job to run");
      await redisClient.del("lanes:lanes:call:forged", "lanes:lanes:results:forged");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("refusals at the start", () => {
  it("an unreachable Redis is a RedisUnreachableError naming the URL, not a hang", async () => {
    const port = await freePort();
    const lonely = new Pool({ backend: { url: `redis://127.0.0.1:${port}`, key: KEY } });
    const error = await lonely.map((x: number) => x, [1]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnreachableError);
    expect((error as Error).message).toContain(`redis://127.0.0.1:${port}`);
    await lonely.terminate();
  });

  it("a pool without a cluster key refuses to start, and says how to give one", () => {
    const saved = process.env.LANES_KEY;
    delete process.env.LANES_KEY;
    try {
      expect(() => new Pool({ backend: "redis://127.0.0.1:6379" })).toThrow(ClusterKeyError);
      expect(() => new Pool({ backend: "redis://127.0.0.1:6379" })).toThrow(/LANES_KEY/);
      expect(() => new Pool({ backend: { url: "redis://127.0.0.1:6379", key: "short" } })).toThrow(ClusterKeyError);
    } finally {
      if (saved !== undefined) process.env.LANES_KEY = saved;
    }
  });

  it("local options on a cluster pool, or a URL that is not Redis, are TypeErrors", () => {
    expect(() => new Pool({ backend: { url: "redis://h:1", key: KEY }, processes: 2 })).toThrow(/processes is an option of a local pool/);
    expect(() => new Pool({ backend: { url: "http://h:1", key: KEY } })).toThrow(TypeError);
  });
});
