/**
 * `rediss://`: a real redis-server serving TLS only (Debian's is built with TLS), with a throwaway
 * CA and server certificate made here by the openssl command line, and real `lanes worker`
 * processes. Each way a user can trust a private CA is used: `caFile` and `tls: { ca }` on the
 * pool, `--tls-ca` and `NODE_EXTRA_CA_CERTS` on a worker. Without the CA, both sides refuse with
 * an error that says how to give it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisTlsError, RedisUnreachableError } from "../../src/errors";
import { Pool } from "../../src/pool";
import { probe } from "../../src/distributed/connection";
import { LocalCluster } from "../../src/distributed/local-cluster";
import { startRedisServer, type RedisServer } from "../../src/distributed/redis-server";
import { KEY, readyWorker, spawnWorker, stopWorkers, type TestWorker } from "./helpers";

let dir: string;
let caFile: string;
let redis: RedisServer;
let workers: TestWorker[] = [];

/** A CA, and a server certificate for 127.0.0.1 signed by it (EC keys: quick to make). */
function makeCertificates(at: string): { caFile: string; certFile: string; keyFile: string } {
  const file = (name: string) => join(at, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl("req", "-x509", ...ec, "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "1", "-subj", "/CN=Lanes test CA");
  openssl("req", ...ec, "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=127.0.0.1");
  writeFileSync(file("san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  openssl("x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial", "-out", file("server.pem"), "-days", "1", "-extfile", file("san.cnf"));
  return { caFile: file("ca.pem"), certFile: file("server.pem"), keyFile: file("server.key") };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lanes-tls-"));
  const files = makeCertificates(dir);
  caFile = files.caFile;
  redis = await startRedisServer({ tls: files });
  workers = await Promise.all([
    readyWorker(redis.url, { extra: ["--tls-ca", caFile] }),
    readyWorker(redis.url, { env: { NODE_EXTRA_CA_CERTS: caFile } }),
  ]);
}, 120_000);

afterAll(async () => {
  await stopWorkers(workers);
  await redis?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe("a pool on rediss:// (TLS)", () => {
  it("the server speaks TLS only: a plain redis:// connection to its port gets nowhere", async () => {
    expect(redis.url).toMatch(/^rediss:\/\/127\.0\.0\.1:\d+$/);
    await expect(probe(redis.url.replace("rediss:", "redis:"), 1_500)).rejects.toBeInstanceOf(RedisUnreachableError);
  });

  it("runs a map on workers that trust the CA by --tls-ca and by NODE_EXTRA_CA_CERTS, the pool by caFile", async () => {
    const pool = new Pool({ backend: { url: redis.url, key: KEY, caFile } });
    try {
      const items = Array.from({ length: 2_000 }, (_, i) => i);
      await expect(pool.map((x: number) => x * 3, items, { chunksize: 25 })).resolves.toEqual(items.map((x) => x * 3));
      // Both workers took part (each trusted the CA its own way). Chunks go to whoever pulls first,
      // so this asks again until both show up in a timeline (bounded: a guard, not a timing).
      const seen = new Set<string>();
      for (let round = 0; round < 20 && seen.size < 2; round++) {
        await pool.map((ms: number) => {
          const end = Date.now() + ms;
          while (Date.now() < end);
          return ms;
        }, [30, 30, 30, 30, 30, 30], { chunksize: 1 });
        const timeline = pool.timeline();
        for (const s of timeline.spans()) seen.add(timeline.laneLabels[s.worker]!.split("/")[0]!);
      }
      expect([...seen].map((w) => w.split(":").at(-1)).sort()).toEqual(workers.map((w) => String(w.child.pid)).sort());
    } finally {
      await pool.terminate();
    }
  });

  it("the pool trusts the CA given as tls: { ca }", async () => {
    const pool = new Pool({ backend: { url: redis.url, key: KEY, tls: { ca: readFileSync(caFile) } } });
    try {
      await expect(pool.apply((a: string) => `${a} over TLS`, ["hello"])).resolves.toBe("hello over TLS");
    } finally {
      await pool.terminate();
    }
  });

  it("a LocalCluster on a given rediss:// Redis hands its caFile to its workers (--tls-ca) and its backend", async () => {
    const cluster = await LocalCluster.start({ redis: redis.url, caFile, workers: 1, queue: "tls-local" });
    const pool = new Pool({ backend: cluster.backend });
    try {
      expect(cluster.backend).toMatchObject({ url: redis.url, caFile });
      await expect(pool.map((x: number) => x * x, [1, 2, 3, 4], { chunksize: 1 })).resolves.toEqual([1, 4, 9, 16]);
    } finally {
      await pool.terminate();
      await cluster.close();
    }
  });

  it("without the CA, the pool fails at once with a RedisUnreachableError saying how to give it", async () => {
    const pool = new Pool({ backend: { url: redis.url, key: KEY } });
    try {
      const error = await pool.map((x: number) => x, [1]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisUnreachableError);
      expect((error as Error).message).toContain(redis.url);
      expect((error as Error).message).toMatch(/certificate/);
      expect((error as Error).message).toContain("caFile");
      expect((error as Error).message).toContain("--tls-ca");
    } finally {
      await pool.terminate();
    }
  });

  it("without the CA, a worker refuses to start and says how to give it", async () => {
    const worker = spawnWorker(redis.url);
    expect(await worker.exited).toBe(2);
    expect(worker.lines.join("\n")).toMatch(/certificate is not trusted here.*--tls-ca/);
  });

  it("TLS options with a plain redis:// URL, or a CA file that cannot be read, are a RedisTlsError naming the fix", async () => {
    expect(() => new Pool({ backend: { url: "redis://127.0.0.1:1", key: KEY, caFile } })).toThrow(RedisTlsError);
    expect(() => new Pool({ backend: { url: "redis://127.0.0.1:1", key: KEY, caFile } })).toThrow(/rediss:\/\//);
    const missing = join(dir, "no-such-ca.pem");
    expect(() => new Pool({ backend: { url: redis.url, key: KEY, caFile: missing } })).toThrow(new RegExp(`cannot read the CA file ${missing}`));
    const saved = process.env.LANES_REDIS_CA;
    process.env.LANES_REDIS_CA = missing;
    try {
      expect(() => new Pool({ backend: { url: redis.url, key: KEY } })).toThrow(/LANES_REDIS_CA/);
      // A plain URL ignores LANES_REDIS_CA (it may be exported for every process of a cluster).
      await new Pool({ backend: { url: "redis://127.0.0.1:1", key: KEY } }).terminate();
    } finally {
      if (saved === undefined) delete process.env.LANES_REDIS_CA;
      else process.env.LANES_REDIS_CA = saved;
    }
  });
});
