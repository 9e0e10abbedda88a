/**
 * `lanes worker`: a process that takes chunks from the cluster's BullMQ queue and runs them in a
 * local thread pool — piscina loading the same worker entry as a local Pool (src/worker/entry.ts) —
 * never on its own main thread, which stays free to renew BullMQ's job locks (a busy main thread
 * lets a lock lapse and the chunk run twice: notes/distributed.md, trap 1).
 */
import { hostname } from "node:os";
import type { ConnectionOptions } from "node:tls";
import { Piscina } from "piscina";
import type { Worker as BullWorker, Job } from "bullmq";
import type IORedis from "ioredis";
import type { BatchRequest, BatchResponse, ItemError, WorkerSetup } from "../pool/protocol";
import { packItems, sliceItems, unpackItems } from "../pool/items";
import { ClaimTable } from "../pool/claim-table";
// WorkerSetup needs a progress table (a local engine reads it to learn which item a dead worker ran); a
// cluster worker's threads fill it in and nothing reads it: a crash here fails its chunk, which is retried.
import { newProgressTable } from "../pool/progress";
import { workerFile } from "../pool/worker-file";
import { bullmq, connect, probe, redactUrl } from "./connection";
import { open, seal, type ClusterKey } from "./envelope";
import { LANES_TIMEOUT, DEFAULT_QUEUE, keys, PUSH_RESULT_SCRIPT, WORKER_TTL_MS, type ChunkResult, type ChunkTask } from "./protocol";

/** Defaults Lanes sets, chosen so a chunk whose worker was killed is retried within about 10 s (BullMQ's own: 30 s + 30 s). */
export const DEFAULT_LOCK_DURATION_MS = 5_000;
export const DEFAULT_STALLED_INTERVAL_MS = 5_000;
/** A chunk whose worker is killed this many times over fails for good (BullMQ's default is 1). */
export const DEFAULT_MAX_STALLED = 2;

export interface LanesWorkerOptions {
  /** The Redis URL (redis:// or rediss://). */
  redis: string;
  /** TLS options for a rediss:// URL (./tls.ts `loadTls`). @default Node's CAs */
  tls?: ConnectionOptions | undefined;
  /** The cluster key, or null to run unsigned jobs (`--insecure`). */
  key: ClusterKey;
  /** Worker threads, and chunks run at once. @default 1 */
  concurrency?: number;
  /** @default "lanes" */
  queue?: string;
  /** @default 5000 */
  lockDuration?: number;
  /** @default 5000 */
  stalledInterval?: number;
  /** @default 2 */
  maxStalledCount?: number;
  /** Where status lines go. @default console.log */
  log?: (line: string) => void;
}

/** What a job's processor hands to its "completed" handler. */
interface Answer {
  callKey: string;
  reply: string;
  result: string;
}

/** How often a running chunk checks that its call still exists (a cancelled call's chunks are stopped). */
const CANCEL_POLL_MS = 500;

export class LanesWorker {
  /** `host:pid`: the lane name of this worker's spans. */
  readonly id = `${hostname()}:${process.pid}`;
  readonly concurrency: number;
  private readonly queue: string;
  private readonly log: (line: string) => void;
  private redis: IORedis | undefined;
  private bull: BullWorker | undefined;
  private piscina: Piscina | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private stats = new Map<string, { chunks: number; items: number; errors: number }>();
  private statsTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private active = 0;

  constructor(private readonly options: LanesWorkerOptions) {
    this.concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new RangeError(`concurrency must be a whole number ≥ 1, not ${String(options.concurrency)}`);
    this.queue = options.queue ?? DEFAULT_QUEUE;
    this.log = options.log ?? ((line) => console.log(line));
  }

  /** Connects (an unreachable Redis is a RedisUnreachableError within seconds) and starts taking chunks. */
  async start(): Promise<void> {
    const { redis: url } = this.options;
    const tls = this.options.tls === undefined ? {} : { tls: this.options.tls };
    await probe(url, undefined, this.options.tls);
    const setup: WorkerSetup = { initializer: null, initargs: [], maxTasksPerChild: 0, retired: new Int32Array(new SharedArrayBuffer(4096 * 4)), claims: new ClaimTable().table, progress: newProgressTable() };
    this.piscina = new Piscina({ filename: workerFile(), minThreads: this.concurrency, maxThreads: this.concurrency, idleTimeout: Infinity, concurrentTasksPerWorker: 1, maxQueue: Infinity, workerData: setup });
    this.piscina.on("error", () => undefined);
    this.redis = connect(url, tls);
    await this.register();
    this.heartbeat = setInterval(() => void this.register().catch(() => undefined), WORKER_TTL_MS / 3);
    this.heartbeat.unref();
    this.bull = new (bullmq().Worker)(this.queue, (job) => this.process(job), {
      connection: connect(url, tls),
      concurrency: this.concurrency,
      lockDuration: this.options.lockDuration ?? DEFAULT_LOCK_DURATION_MS,
      stalledInterval: this.options.stalledInterval ?? DEFAULT_STALLED_INTERVAL_MS,
      maxStalledCount: this.options.maxStalledCount ?? DEFAULT_MAX_STALLED,
      // Seconds an idle worker blocks waiting for jobs: short, so every worker wakes soon for a new call (trap 6).
      drainDelay: 1,
    });
    this.bull.on("completed", (_job, answer: Answer | undefined) => this.onCompleted(answer));
    this.bull.on("error", (error) => this.log(`lanes worker ${this.id}: Redis error: ${error.message}`));
    this.bull.on("stalled", (id) => this.log(`lanes worker ${this.id}: job ${id} stalled (its worker died or lost its lock); it runs again`));
    this.statsTimer = setInterval(() => this.flushStats(), 1_000);
    this.statsTimer.unref();
    await this.bull.waitUntilReady();
    this.log(
      `lanes worker ${this.id}: ready on ${redactUrl(url)}, queue "${this.queue}", ${this.concurrency} thread${this.concurrency === 1 ? "" : "s"}, ` +
        `${this.options.key === null ? "INSECURE (runs unsigned jobs)" : "running only jobs signed with the cluster key"}`,
    );
  }

  /** Finishes the chunks running now, then disconnects and ends the threads (SIGTERM does this). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.active > 0) this.log(`lanes worker ${this.id}: stopping; finishing ${this.active} running chunk${this.active === 1 ? "" : "s"} first`);
      await this.bull?.close();
      clearInterval(this.heartbeat);
      clearInterval(this.statsTimer);
      this.flushStats();
      await this.redis?.del(keys.worker(this.queue, this.id)).catch(() => undefined);
      this.redis?.disconnect();
      await this.piscina?.close();
      await this.piscina?.destroy();
      this.log(`lanes worker ${this.id}: stopped`);
    })();
    return this.closing;
  }

  private async register(): Promise<void> {
    await this.redis!.set(keys.worker(this.queue, this.id), JSON.stringify({ threads: this.concurrency }), "PX", WORKER_TTL_MS);
  }

  private async process(job: Job): Promise<Answer | undefined> {
    const key = this.options.key;
    const opened = open(job.data, key);
    if (opened === undefined) {
      this.log(`lanes worker ${this.id}: REFUSED job ${String(job.id)}: it is not signed with this cluster's key (forged, or sent by a pool with another LANES_KEY); not run`);
      throw new (bullmq().UnrecoverableError)("refused by lanes worker: the job is not signed with the cluster key");
    }
    const task = opened.value as ChunkTask;
    const callKey = keys.call(this.queue, task.call);
    const redis = this.redis!;
    if ((await redis.exists(callKey)) === 0) return undefined; // The call ended or was cancelled: nothing to do.
    const cancel = new AbortController();
    const poll = setInterval(() => {
      redis.exists(callKey).then((n) => n === 0 && cancel.abort(), () => undefined);
    }, CANCEL_POLL_MS);
    this.active++;
    let result: ChunkResult | undefined;
    try {
      result = await this.run(task, cancel.signal);
    } finally {
      clearInterval(poll);
      this.active--;
    }
    if (result === undefined) return undefined;
    this.count(task, result);
    // Sent by onCompleted, once BullMQ has recorded the job as done (and removed it).
    return { callKey, reply: task.reply, result: JSON.stringify(seal(result, key)) };
  }

  /**
   * A chunk's result goes to its caller only once BullMQ has completed (and removed) its job: only
   * the holder of the job's lock gets here (a worker that lost its lock while running fails to
   * complete and sends nothing), and when the caller has its result no job of the chunk is left in
   * Redis. A worker that dies between the two leaves a chunk with neither job nor result; the
   * caller's sweep queues it again.
   */
  private onCompleted(answer: Answer | undefined): void {
    if (answer === undefined) return;
    const redis = this.redis!;
    redis.eval(PUSH_RESULT_SCRIPT, 2, answer.callKey, answer.reply, answer.result).catch((error: unknown) => {
      this.log(`lanes worker ${this.id}: could not send a result (${(error as Error).message}); its caller will queue the chunk again`);
    });
  }

  /** Runs a chunk in a thread; undefined when it was cancelled. */
  private async run(task: ChunkTask, signal: AbortSignal): Promise<ChunkResult | undefined> {
    const request: BatchRequest = { fnId: task.fn.id, fn: task.fn, star: task.star, start: task.start, items: task.items, chunksize: task.chunksize, stopOnError: task.stopOnError, claim: -1, token: 1 };
    const base = { call: task.call, chunk: task.chunk, worker: this.id };
    try {
      if (task.timeout > 0) return await this.runEachWithin(task, request, signal);
      const response = (await this.piscina!.run(request, { signal })) as BatchResponse;
      if (response.kind === "load-error") return { kind: "load-error", ...base, error: response.error };
      if (response.kind !== "done") return { kind: "crashed", ...base, message: `the worker thread answered "${response.kind}"` };
      return { kind: "done", ...base, start: task.start, results: response.results, ran: response.ran, errors: response.errors, threadId: response.threadId, started: response.started, finished: response.finished };
    } catch (error) {
      if (signal.aborted) return undefined;
      return { kind: "crashed", ...base, message: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * With a `timeout`, items run one to a thread message, each with its own deadline: an item that
   * overruns has its thread ended (piscina starts another) and fails with a TimeoutError at its own
   * index, and the chunk goes on (or stops, with stopOnError).
   */
  private async runEachWithin(task: ChunkTask, request: BatchRequest, signal: AbortSignal): Promise<ChunkResult | undefined> {
    const items = unpackItems(task.items);
    const values: unknown[] = [];
    const errors: ItemError[] = [];
    let threadId = -1;
    let started = 0;
    let finished = 0;
    let ran = 0;
    for (let i = 0; i < items.length; i++) {
      const one: BatchRequest = { ...request, start: task.start + i, items: sliceItems(task.items, i, i + 1) };
      const deadline = AbortSignal.timeout(task.timeout);
      const t0 = performance.timeOrigin + performance.now();
      if (started === 0) started = t0;
      let response: BatchResponse;
      try {
        response = (await this.piscina!.run(one, { signal: AbortSignal.any([signal, deadline]) })) as BatchResponse;
      } catch (error) {
        if (signal.aborted) return undefined;
        ran = i + 1;
        finished = performance.timeOrigin + performance.now();
        values.push(undefined);
        if (!deadline.aborted) return { kind: "crashed", call: task.call, chunk: task.chunk, worker: this.id, message: error instanceof Error ? error.message : String(error) };
        errors.push({
          index: task.start + i,
          // The props mark it as the pool's own timeout (a task may throw an error of that name itself).
          error: {
            name: "TimeoutError",
            message: `item ${task.start + i} ran longer than its timeout of ${task.timeout} ms, so its worker thread (on ${this.id}) was ended`,
            props: { [LANES_TIMEOUT]: task.timeout },
          },
        });
        if (task.stopOnError) break;
        continue;
      }
      if (response.kind === "load-error") return { kind: "load-error", call: task.call, chunk: task.chunk, worker: this.id, error: response.error };
      if (response.kind !== "done") return { kind: "crashed", call: task.call, chunk: task.chunk, worker: this.id, message: `the worker thread answered "${response.kind}"` };
      threadId = response.threadId;
      finished = response.finished;
      ran = i + 1;
      values.push(unpackItems(response.results)[0]);
      errors.push(...response.errors);
      if (task.stopOnError && response.errors.length > 0) break;
    }
    return { kind: "done", call: task.call, chunk: task.chunk, worker: this.id, start: task.start, results: packItems(values, 0, ran), ran, errors, threadId, started, finished };
  }

  private count(task: ChunkTask, result: ChunkResult): void {
    const s = this.stats.get(task.call) ?? { chunks: 0, items: 0, errors: 0 };
    s.chunks++;
    if (result.kind === "done") {
      s.items += result.ran;
      s.errors += result.errors.length;
    } else s.errors++;
    this.stats.set(task.call, s);
  }

  /** One line a second per call at most: a worker running thousands of chunks still prints a readable log. */
  private flushStats(): void {
    for (const [call, s] of this.stats) {
      this.log(`lanes worker ${this.id}: call ${call.slice(0, 8)}: ran ${s.chunks} chunk${s.chunks === 1 ? "" : "s"}, ${s.items} items${s.errors > 0 ? `, ${s.errors} failed` : ""}`);
    }
    this.stats.clear();
  }
}
