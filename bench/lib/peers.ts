/** Starting the peers the same way in every case: raw piscina, workerpool, Python's multiprocessing. */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { Piscina } from "piscina";
import * as workerpool from "workerpool";
import type { Context, Runner, SelfTimed } from "./case";

/** bench/peers/piscina-worker.js: the tasks hand-written for piscina. */
export function piscinaWorker(ctx: Context): string {
  return join(ctx.root, "bench", "peers", "piscina-worker.js");
}

/** A raw piscina pool with every thread started, as a user would keep one. */
export async function startPiscina(ctx: Context): Promise<Piscina> {
  const pool = new Piscina({ filename: piscinaWorker(ctx), minThreads: ctx.workers, maxThreads: ctx.workers, idleTimeout: Infinity });
  await Promise.all(Array.from({ length: ctx.workers * 2 }, () => pool.run({ kind: "one" })));
  return pool;
}

/** Bare worker threads (bench/peers/thread-worker.js), every one started: no pool library at all. */
export interface BareThreads {
  /** Sends `messages[k]` to thread k (one each) and waits for every answer. */
  run(messages: readonly unknown[]): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function startBareThreads(ctx: Context): Promise<BareThreads> {
  const threads = Array.from({ length: ctx.workers }, () => new Worker(join(ctx.root, "bench", "peers", "thread-worker.js")));
  const ask = (w: Worker, msg: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const fail = (e: unknown) => reject(e instanceof Error ? e : new Error(String(e)));
      w.once("message", (out: unknown) => {
        w.off("error", fail);
        resolve(out);
      });
      w.once("error", fail);
      w.postMessage(msg);
    });
  await Promise.all(threads.map((w) => ask(w, { kind: "one" })));
  return {
    run: (messages) => Promise.all(messages.map((m, k) => ask(threads[k]!, m))),
    close: async () => {
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
}

export type WorkerPool = ReturnType<typeof workerpool.pool>;

/** A workerpool pool of threads (its inline-function mode: `exec(fn, args)` sends `fn` as text). */
export async function startWorkerpool(ctx: Context): Promise<WorkerPool> {
  const pool = workerpool.pool({ workerType: "thread", minWorkers: ctx.workers, maxWorkers: ctx.workers });
  await Promise.all(Array.from({ length: ctx.workers * 2 }, () => pool.exec((x: number) => x, [1])));
  return pool;
}

/** `.venv/bin/python`, the project's Python, or null when it is missing. */
export function pythonPath(root: string): string | null {
  const p = join(root, ".venv", "bin", "python");
  return existsSync(p) ? p : null;
}

/** Why Python runners cannot run here, or undefined. */
export function pythonSkip(ctx: Context): string | undefined {
  return pythonPath(ctx.root) === null ? "no .venv/bin/python (run npm run setup)" : undefined;
}

/**
 * Runs bench/peers/`script` with the project's Python and resolves with the JSON of its last line of
 * output (every Python peer prints one: `{"seconds": …}` and what its check needs).
 */
export function runPythonPeer<T extends { seconds: number }>(ctx: Context, script: string, args: string[]): Promise<T> {
  const exe = pythonPath(ctx.root);
  if (exe === null) return Promise.reject(new Error(`${script}: no .venv/bin/python (run npm run setup)`));
  return new Promise<T>((resolve, reject) => {
    execFile(exe, [join(ctx.root, "bench", "peers", script), ...args], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${script} ${args[0] ?? ""} failed: ${stderr || err.message}`));
      try {
        resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "") as T);
      } catch {
        reject(new Error(`${script} ${args[0] ?? ""}: unexpected output ${JSON.stringify(stdout)}`));
      }
    });
  });
}

/**
 * Python's `multiprocessing.Pool(workers)` on `kind` (see bench/peers/python_pool.py): each measure
 * starts a fresh interpreter, which builds its input and warms its pool before timing one run.
 */
export function python(ctx: Context, kind: string, params: Record<string, unknown> = {}): SelfTimed {
  if (pythonPath(ctx.root) === null) throw new Error("python: no .venv/bin/python");
  return {
    measure: async () => (await runPythonPeer(ctx, "python_pool.py", [kind, String(ctx.workers), JSON.stringify(params)])).seconds,
  };
}

/**
 * The two hand-chunked peers of a map benchmark: raw piscina (one `run()` per chunk, the worker's
 * `kind` handler) and workerpool (one `exec()` of `task` per chunk), each flattening the results.
 */
export function handChunkedPeers<T, R>(ctx: Context, parts: T[][], piscinaKind: string, task: (xs: T[]) => R[]): Runner[] {
  const size = parts[0]?.length ?? 0;
  return [
    {
      name: `piscina, hand-chunked (${size}/run)`,
      peer: "piscina-chunked",
      async prepare() {
        const pool = await startPiscina(ctx);
        return {
          run: async () => (await Promise.all(parts.map((xs) => pool.run({ kind: piscinaKind, xs }) as Promise<R[]>))).flat(),
          close: () => pool.destroy(),
        };
      },
    },
    {
      name: `workerpool, hand-chunked (${size}/exec)`,
      peer: "workerpool-chunked",
      async prepare() {
        const pool = await startWorkerpool(ctx);
        return {
          run: async () => (await Promise.all(parts.map((xs) => pool.exec(task, [xs]) as Promise<R[]>))).flat(),
          close: () => pool.terminate(),
        };
      },
    },
  ];
}
