/**
 * The calling side of a distributed pool: one per `new Pool({ backend })`. It holds the pool's Redis
 * connections and BullMQ queue, reads the pool's result list (one blocking read serves every call
 * of the pool), and watches the connection: when Redis comes back after a restart, every running
 * call puts its unfinished chunks back (Redis ran without persistence and lost them); when Redis
 * stays away longer than `reconnectTimeout`, the calls fail with a RedisUnreachableError.
 */
import { randomBytes } from "node:crypto";
import type { ConnectionOptions } from "node:tls";
import type { Queue } from "bullmq";
import type IORedis from "ioredis";
import { RedisUnreachableError } from "../errors";
import { LaneAllocator } from "../pool/lane-allocator";
import { bullmq, checkRedisUrl, connect, probe, redactUrl } from "./connection";
import { open, type ClusterKey } from "./envelope";
import { loadKey } from "./key";
import { DEFAULT_QUEUE, keys, type ChunkResult } from "./protocol";
import { loadTls, type TlsSource } from "./tls";

/**
 * Where a distributed pool sends its work: a Redis URL (the key then comes from `LANES_KEY`), or
 * these options. A `LocalCluster`'s `backend` is one of these. For `rediss://` (TLS), `caFile` or
 * `tls` say which CA signed the server's certificate (see {@link TlsSource}).
 */
export interface RedisBackendOptions extends TlsSource {
  /** `redis://[user:password@]host:port` or `rediss://…` (TLS). */
  url: string;
  /**
   * The cluster key jobs are signed with: the same secret every `lanes worker` holds.
   * @default process.env.LANES_KEY
   */
  key?: string;
  /** A file holding the key. @default undefined */
  keyFile?: string;
  /**
   * Send unsigned jobs (only workers started with `--insecure` run them).
   * @default false
   */
  insecure?: boolean;
  /** The BullMQ queue the workers read. @default "lanes" */
  queue?: string;
  /**
   * Milliseconds a call waits for a lost Redis connection to come back before it fails with a
   * `RedisUnreachableError`. When it comes back in time, the call goes on (chunks Redis lost are queued again).
   * @default 30000
   */
  reconnectTimeout?: number;
}

/** A call running on the backend, as the backend sees it (./remote-job.ts). */
export interface RemoteCall {
  readonly id: string;
  onResult(result: ChunkResult): void;
  /** Redis came back (possibly empty, after a restart): queue again what has not come back. */
  resubmit(): void;
  fail(error: Error): void;
}

/** How often outstanding chunks are checked (lost in a restart, or failed for good on the cluster). */
export const SWEEP_MS = 2_000;

export class RedisBackend {
  readonly url: string;
  readonly queueName: string;
  readonly key: ClusterKey;
  readonly reconnectTimeout: number;
  /** TLS options of the connections (rediss:// only). */
  private readonly tls: ConnectionOptions | undefined;
  /** This pool's id: its result list's name. */
  readonly poolId = randomBytes(8).toString("hex");
  readonly resultsKey: string;
  /** Timeline lanes of the cluster's threads, and the `host:pid` thread each stands for. */
  readonly lanes = new LaneAllocator(Number.MAX_SAFE_INTEGER, () => []);
  readonly laneNames: string[] = [];
  private readonly laneIds = new Map<string, number>();
  private connected: Promise<void> | undefined;
  private redis: IORedis | undefined;
  private blocking: IORedis | undefined;
  private bull: Queue | undefined;
  private readonly calls = new Map<string, RemoteCall>();
  private reading: Promise<void> | undefined;
  private downSince: number | undefined;
  private watch: NodeJS.Timeout | undefined;
  private closed = false;
  /** Clean-ups of ended calls (key deleted, waiting jobs removed) that close() lets finish first. */
  private readonly cleanups = new Set<Promise<unknown>>();

  constructor(options: string | RedisBackendOptions) {
    const opts: RedisBackendOptions = typeof options === "string" ? { url: options } : options;
    this.url = checkRedisUrl(opts.url);
    this.key = loadKey(opts, `A distributed pool (backend ${redactUrl(this.url)})`);
    this.tls = loadTls(this.url, opts, `A distributed pool (backend ${redactUrl(this.url)})`);
    this.queueName = opts.queue ?? DEFAULT_QUEUE;
    if (this.queueName.includes(":")) throw new TypeError(`the queue name must not contain ":" (BullMQ refuses it): "${this.queueName}"`);
    this.reconnectTimeout = opts.reconnectTimeout ?? 30_000;
    this.resultsKey = keys.results(this.queueName, this.poolId);
  }

  /** The pool's connections, made on first use: an unreachable Redis is a RedisUnreachableError within seconds. */
  connect(): Promise<void> {
    this.connected ??= (async () => {
      await probe(this.url, undefined, this.tls);
      const tls = this.tls === undefined ? {} : { tls: this.tls };
      this.redis = connect(this.url, tls);
      this.blocking = connect(this.url, tls);
      this.bull = new (bullmq().Queue)(this.queueName, { connection: connect(this.url, { ...tls, maxRetriesPerRequest: null }) });
      this.bull.on("error", () => undefined);
      let lost = false;
      this.redis.on("close", () => {
        lost = true;
        this.downSince ??= Date.now();
      });
      this.redis.on("ready", () => {
        this.downSince = undefined;
        if (!lost) return;
        lost = false;
        for (const call of this.calls.values()) call.resubmit();
      });
      await this.bull.waitUntilReady();
    })();
    // A failed first contact is not remembered: the next call tries again.
    this.connected.catch(() => (this.connected = undefined));
    return this.connected;
  }

  /** Whether the connections were made (a call that failed to connect has nothing to clean up). */
  isConnected(): boolean {
    return this.redis !== undefined;
  }

  get queue(): Queue {
    return this.bull!;
  }

  get commands(): IORedis {
    return this.redis!;
  }

  /** Threads of the cluster when the last call began (undefined before the first). */
  lastThreads: number | undefined;
  private warnedNoWorker = false;

  /** Connects, and counts the threads of the cluster's live workers (0 when none is registered: the call then waits for one). */
  async threads(): Promise<number> {
    await this.connect();
    const total = await this.bounded(this.countThreads());
    this.lastThreads = total;
    if (total === 0 && !this.warnedNoWorker) {
      this.warnedNoWorker = true;
      console.warn(`lanes: no lanes worker is connected to ${redactUrl(this.url)} (queue "${this.queueName}"): the call waits until one starts (npx lanes worker --redis <url>)`);
    }
    return total;
  }

  private async countThreads(): Promise<number> {
    let total = 0;
    let cursor = "0";
    do {
      const [next, found] = await this.redis!.scan(cursor, "MATCH", keys.workers(this.queueName), "COUNT", 1000);
      cursor = next;
      if (found.length === 0) continue;
      for (const value of await this.redis!.mget(...found)) {
        try {
          total += (JSON.parse(value ?? "{}") as { threads?: number }).threads ?? 0;
        } catch {
          // Not ours; skip.
        }
      }
    } while (cursor !== "0");
    return total;
  }

  /** A lane number for a thread of a worker process (`host:pid`), stable for the pool's life. */
  laneKey(worker: string, threadId: number): number {
    const name = `${worker}/${threadId}`;
    let id = this.laneIds.get(name);
    if (id === undefined) {
      id = this.laneIds.size;
      this.laneIds.set(name, id);
      this.laneNames[this.lanes.laneOf(id)] = name;
    }
    return id;
  }

  register(call: RemoteCall): void {
    this.calls.set(call.id, call);
    this.watch ??= setInterval(() => this.checkDown(), 1_000);
    this.reading ??= this.readResults();
  }

  unregister(call: RemoteCall): void {
    this.calls.delete(call.id);
    if (this.calls.size === 0 && this.watch !== undefined) {
      clearInterval(this.watch);
      this.watch = undefined;
    }
  }

  /** Runs a call's clean-up; close() waits for it. */
  cleanup(work: () => Promise<unknown>): Promise<unknown> {
    const done: Promise<unknown> = this.bounded(work()).catch(() => undefined).finally(() => this.cleanups.delete(done));
    this.cleanups.add(done);
    return done;
  }

  /** Fails every running call with `error` (SIGINT, terminate); the pool stays usable. */
  failAll(error: Error): void {
    for (const call of [...this.calls.values()]) call.fail(error);
  }

  /** Disconnects; running calls fail with `error` (terminate), or are waited for (join's close: none is left by then). */
  async close(error?: Error): Promise<void> {
    if (error !== undefined) this.failAll(error);
    this.closed = true;
    if (this.connected === undefined) return;
    await this.connected.catch(() => undefined);
    // Bounded: with Redis gone, closing must not wait for it to come back.
    const grace = new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref());
    await Promise.race([Promise.all([this.reading, ...this.cleanups, this.bull?.close()]).catch(() => undefined), grace]);
    this.redis?.disconnect();
    this.blocking?.disconnect();
    // Not awaited: BullMQ's disconnect waits for a ready connection, which a gone Redis never gives.
    void this.bull?.disconnect().catch(() => undefined);
  }

  /** `work`, or a RedisUnreachableError once Redis has been away for `reconnectTimeout` (commands wait for a reconnection). */
  bounded<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.lostError()), this.reconnectTimeout);
    });
    return Promise.race([work, limit]).finally(() => clearTimeout(timer));
  }

  private lostError(): RedisUnreachableError {
    return new RedisUnreachableError(
      `Lost the connection to Redis at ${redactUrl(this.url)} for more than ${Math.round(this.reconnectTimeout / 1000)} s (reconnectTimeout), so the call stopped. ` +
        `Restart Redis (or the LocalCluster) and run the call again; raise reconnectTimeout to wait longer.`,
    );
  }

  private checkDown(): void {
    if (this.downSince === undefined || Date.now() - this.downSince < this.reconnectTimeout) return;
    const error = this.lostError();
    for (const call of [...this.calls.values()]) call.fail(error);
  }

  /**
   * Reads the pool's result list while calls run. After the last call ended (its key deleted: no
   * worker can push for it any more), one last drain leaves the list empty, so it is gone from Redis.
   */
  private async readResults(): Promise<void> {
    const blocking = this.blocking!;
    while (!this.closed) {
      let popped: [string, string] | null;
      try {
        popped = this.calls.size === 0 ? null : await blocking.blpop(this.resultsKey, 1);
      } catch {
        if (this.closed) break;
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (popped !== null) {
        this.deliver(popped[1]);
        const more = await blocking.lpop(this.resultsKey, 1000).catch(() => null);
        for (const value of more ?? []) this.deliver(value);
      }
      if (this.calls.size === 0) {
        for (;;) {
          const rest = await blocking.lpop(this.resultsKey, 1000).catch(() => null);
          if (rest === null || rest.length === 0) break;
          for (const value of rest) this.deliver(value);
        }
        // Synchronously with the check: a call registered from here on starts a new reader.
        if (this.calls.size === 0) {
          this.reading = undefined;
          return;
        }
      }
    }
    this.reading = undefined;
  }

  private deliver(raw: string): void {
    let opened: { value: unknown } | undefined;
    try {
      opened = open(JSON.parse(raw), this.key);
    } catch {
      opened = undefined;
    }
    if (opened === undefined) {
      console.warn(`lanes: dropped a result from ${redactUrl(this.url)} that is not signed with the cluster key (forged, or a worker with another LANES_KEY)`);
      return;
    }
    const result = opened.value as ChunkResult;
    this.calls.get(result.call)?.onResult(result);
  }
}
