/**
 * Real redis-server and real `lanes worker` processes for the distributed tests: each suite starts
 * its own Redis on a free loopback port, and workers through the compiled CLI. Waits here are
 * bounded guards against a hang (generous: the machine is busy), never assertions about speed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import IORedis from "ioredis";
import { cliFile } from "../../src/distributed/cli-file";
import { killGroup } from "../../src/distributed/redis-server";

export const KEY = "test-cluster-key-0123456789abcdef";

export interface TestWorker {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves once a line containing `text` was printed (rejects after `ms`, or when the worker exits first). */
  waitFor(text: string, ms?: number): Promise<string>;
  /** Calls `listener` with every line printed from now on; returns what stops it. */
  onLine(listener: (line: string) => void): () => void;
  /** Resolves with the exit code (or signal) once the process ended. */
  readonly exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

export interface WorkerArgs {
  key?: string | undefined;
  insecure?: boolean;
  concurrency?: number;
  lockDuration?: number;
  stalledInterval?: number;
  queue?: string;
  extra?: string[];
  /** More environment variables for the worker process. */
  env?: NodeJS.ProcessEnv;
}

export function spawnWorker(url: string | undefined, args: WorkerArgs = {}): TestWorker {
  const argv = [cliFile(), "worker"];
  if (url !== undefined) argv.push("--redis", url);
  argv.push("--concurrency", String(args.concurrency ?? 1));
  if (args.insecure === true) argv.push("--insecure");
  if (args.lockDuration !== undefined) argv.push("--lock-duration", String(args.lockDuration));
  if (args.stalledInterval !== undefined) argv.push("--stalled-interval", String(args.stalledInterval));
  if (args.queue !== undefined) argv.push("--queue", args.queue);
  argv.push("--parent-pid", String(process.pid), ...(args.extra ?? []));
  const env: NodeJS.ProcessEnv = { ...process.env, ...args.env };
  delete env.LANES_KEY;
  delete env.LANES_REDIS;
  const key = "key" in args ? args.key : KEY;
  if (key !== undefined) env.LANES_KEY = key;
  const child = spawn(process.execPath, argv, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const onLine = (line: string): void => {
    lines.push(line);
    for (const listener of [...listeners]) listener(line);
  };
  createInterface({ input: child.stdout }).on("line", onLine);
  createInterface({ input: child.stderr }).on("line", onLine);
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  const worker: TestWorker = {
    child,
    lines,
    exited,
    waitFor(text: string, ms = 60_000): Promise<string> {
      return anyLine([worker], text, ms);
    },
    onLine(listener: (line: string) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    kill(signal: NodeJS.Signals = "SIGTERM"): void {
      if (child.exitCode === null && child.signalCode === null) killGroup(child, signal);
    },
  };
  return worker;
}

/**
 * Resolves with the first line containing `text` that any of `workers` printed, already or from now on:
 * an event, not a poll. Rejects after `ms` (a guard against a hang) or once every one of them exited
 * without printing it.
 */
export function anyLine(workers: readonly TestWorker[], text: string, ms = 60_000): Promise<string> {
  for (const w of workers) {
    const seen = w.lines.find((l) => l.includes(text));
    if (seen !== undefined) return Promise.resolve(seen);
  }
  const output = (): string => workers.flatMap((w) => w.lines).join("\n");
  return new Promise((resolve, reject) => {
    const stops: (() => void)[] = [];
    const settle = (): void => {
      clearTimeout(timer);
      for (const stop of stops) stop();
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error(`no line with "${text}" within ${ms} ms; output:\n${output()}`));
    }, ms);
    for (const w of workers) {
      stops.push(
        w.onLine((line) => {
          if (!line.includes(text)) return;
          settle();
          resolve(line);
        }),
      );
    }
    void Promise.all(workers.map((w) => w.exited)).then((codes) => {
      settle();
      reject(new Error(`the worker${workers.length === 1 ? "" : "s"} exited (${codes.join(", ")}) before printing "${text}"; output:\n${output()}`));
    });
  });
}

/** Starts a worker and waits until it is ready. */
export async function readyWorker(url: string, args: WorkerArgs = {}): Promise<TestWorker> {
  const worker = spawnWorker(url, args);
  await worker.waitFor(": ready on ");
  return worker;
}

export async function stopWorkers(workers: TestWorker[]): Promise<void> {
  for (const w of workers) w.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
}

/** Every key in the Redis at `url`, sorted. */
export async function allKeys(url: string): Promise<string[]> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  redis.on("error", () => undefined);
  try {
    return (await redis.keys("*")).sort();
  } finally {
    redis.disconnect();
  }
}

/** Polls `check` until it is true; a guard against a hang (rejects after `ms`), not a timing assertion. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting (${ms} ms) for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether process `pid` is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
