/**
 * A cluster in one call, like Dask's `LocalCluster`: Debian's `redis-server` on a free loopback
 * port (or a Redis you name) and N `lanes worker` processes, with a key of its own. For trying the
 * distributed backend on one machine, and for the lessons.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { LanesError } from "../errors";
import type { RedisBackendOptions } from "./backend";
import { cliFile } from "./cli-file";
import { redactUrl } from "./connection";
import { newKey } from "./key";
import { DEFAULT_QUEUE } from "./protocol";
import { killGroup, startRedisServer, type RedisServer } from "./redis-server";

export interface LocalClusterOptions {
  /**
   * Worker processes.
   * @default 2
   * @example await LocalCluster.start({ workers: 3 })
   */
  workers?: number;
  /**
   * Threads in each worker process (`lanes worker --concurrency`).
   * @default 1
   */
  threads?: number;
  /**
   * Use this Redis instead of starting `redis-server` (the workers still run here).
   * @default undefined (start redis-server on 127.0.0.1, a free port, no persistence)
   */
  redis?: string;
  /**
   * For a `redis` given as `rediss://` (TLS): the PEM file of the CA that signed its certificate,
   * handed to the workers (`--tls-ca`) and put in `backend`.
   * @default process.env.LANES_REDIS_CA (else Node's CAs)
   * @example await LocalCluster.start({ redis: "rediss://redis.internal:6380", caFile: "ca.pem" })
   */
  caFile?: string;
  /** The cluster key. @default a new random key */
  key?: string;
  /** @default "lanes" */
  queue?: string;
  /** Worker lock duration in ms (see `lanes worker --help`). @default 5000 */
  lockDuration?: number;
  /** Worker stalled-job check interval in ms. @default 5000 */
  stalledInterval?: number;
  /** @default 2 */
  maxStalledCount?: number;
  /**
   * Print the workers' status lines (they are kept in `cluster.logs` either way).
   * @default false
   */
  verbose?: boolean;
  /** Milliseconds to wait for each worker to be ready. @default 60000 */
  startTimeout?: number;
}

/** Lines of worker output a cluster keeps. */
const MAX_LOG_LINES = 2_000;

export class LocalCluster {
  /** The Redis URL. */
  readonly url: string;
  /** What to pass to `new Pool({ backend })`: the URL, the key, the queue. */
  readonly backend: RedisBackendOptions;
  /** The workers' status lines, newest last. */
  readonly logs: string[] = [];
  private readonly children: ChildProcess[] = [];
  private closing: Promise<void> | undefined;
  private readonly onExit = (): void => {
    for (const child of this.children) killGroup(child, "SIGKILL");
    if (this.server !== undefined) killGroup(this.server.process, "SIGKILL");
  };

  private constructor(
    private readonly server: RedisServer | undefined,
    url: string,
    private readonly options: LocalClusterOptions & { key: string; queue: string },
  ) {
    this.url = url;
    this.backend = { url, key: options.key, queue: options.queue, ...(options.caFile === undefined ? {} : { caFile: options.caFile }) };
    process.once("exit", this.onExit);
  }

  /**
   * Starts Redis (unless given one) and the workers; resolves once every worker is ready.
   * @example
   * const cluster = await LocalCluster.start({ workers: 3 });
   * const pool = new Pool({ backend: cluster.backend });
   * await pool.map((x: number) => x * x, [1, 2, 3]);
   * await pool.terminate();
   * await cluster.close();
   */
  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    const workers = options.workers ?? 2;
    if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`workers must be a whole number ≥ 0, not ${String(options.workers)}`);
    const server = options.redis === undefined ? await startRedisServer({ watchPid: process.pid }) : undefined;
    const url = server?.url ?? options.redis!;
    const cluster = new LocalCluster(server, url, { ...options, key: options.key ?? newKey(), queue: options.queue ?? DEFAULT_QUEUE });
    try {
      await Promise.all(Array.from({ length: workers }, () => cluster.addWorker()));
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  /** Process ids of the live workers. */
  get pids(): number[] {
    return this.children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => c.pid!);
  }

  /** Process id of the redis-server this cluster started (undefined when it was given one). */
  get redisPid(): number | undefined {
    return this.server?.process.pid;
  }

  /** Starts one more worker process; resolves with its pid once it is ready. */
  async addWorker(): Promise<number> {
    const o = this.options;
    const args = [cliFile(), "worker", "--redis", this.url, "--queue", o.queue, "--concurrency", String(o.threads ?? 1), "--parent-pid", String(process.pid)];
    if (o.lockDuration !== undefined) args.push("--lock-duration", String(o.lockDuration));
    if (o.stalledInterval !== undefined) args.push("--stalled-interval", String(o.stalledInterval));
    if (o.maxStalledCount !== undefined) args.push("--max-stalled", String(o.maxStalledCount));
    if (o.caFile !== undefined) args.push("--tls-ca", o.caFile);
    // Its own process group: a terminal's Ctrl-C meant for the notebook leaves the cluster running; close() ends it.
    const child = spawn(process.execPath, args, { env: { ...process.env, LANES_KEY: o.key }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    this.children.push(child);
    const ready = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new LanesError(`a lanes worker of the LocalCluster was not ready within ${o.startTimeout ?? 60_000} ms; its output:\n${this.logs.slice(-10).join("\n")}`)), o.startTimeout ?? 60_000);
      const onLine = (line: string): void => {
        this.logs.push(line);
        if (this.logs.length > MAX_LOG_LINES) this.logs.splice(0, this.logs.length - MAX_LOG_LINES);
        if (o.verbose === true) console.log(line);
        if (line.includes(": ready on ")) {
          clearTimeout(timer);
          resolve(child.pid!);
        }
      };
      createInterface({ input: child.stdout }).on("line", onLine);
      createInterface({ input: child.stderr }).on("line", onLine);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new LanesError(`a lanes worker of the LocalCluster exited at start (${signal ?? `exit code ${String(code)}`}); its output:\n${this.logs.slice(-10).join("\n")}`));
      });
    });
    return ready;
  }

  /** Stops the workers (SIGTERM: they finish their running chunks; SIGKILL after `graceMs`) and the redis-server it started. */
  close(graceMs = 10_000): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all(
        this.children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
          killGroup(child, "SIGTERM");
          const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
          await exited;
          clearTimeout(timer);
        }),
      );
      await this.server?.stop();
      process.removeListener("exit", this.onExit);
    })();
    return this.closing;
  }

  /** `await using cluster = await LocalCluster.start()` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  toString(): string {
    return `LocalCluster(${redactUrl(this.url)}, ${this.pids.length} workers)`;
  }
}
