import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { SharedWire } from "../../src/shared";

const DIST_SHARED = join(__dirname, "..", "..", "dist", "shared", "index.js");

/** What a worker body gets: the shared objects rebuilt from their wires, `extra` data, and dist's shared module. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies run against dist's classes in another thread
export type Body = (objs: any[], extra: any, lanes: any) => unknown;

const BOOT = `
const { workerData, parentPort } = require("node:worker_threads");
const lanes = require(workerData.dist);
const objs = workerData.wires.map(lanes.fromWire);
const body = (0, eval)("(" + workerData.src + ")");
Promise.resolve().then(() => body(objs, workerData.extra, lanes)).then(
  (value) => parentPort.postMessage({ ok: true, value }),
  (e) => parentPort.postMessage({ ok: false, name: e && e.name, message: e && e.message }),
);
`;

export interface Running {
  worker: Worker;
  /** Resolves with the body's result; rejects with an Error whose name is the worker error's name. */
  done: Promise<unknown>;
}

/** Runs `body` in a real worker thread over the same shared memory as `objs`. */
export function inWorker(body: Body, wires: SharedWire[], extra: unknown = null): Running {
  const worker = new Worker(BOOT, { eval: true, workerData: { dist: DIST_SHARED, wires, extra, src: String(body) } });
  const done = new Promise<unknown>((resolve, reject) => {
    worker.once("message", (m: { ok: boolean; value?: unknown; name?: string; message?: string }) => {
      if (m.ok) resolve(m.value);
      else {
        const e = new Error(m.message);
        e.name = m.name ?? "Error";
        reject(e);
      }
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`worker exited (${code}) before answering`)));
  });
  return { worker, done };
}

/** Waits (async, on the test's thread) until `flag[i]` is at least `n`: a handshake, no sleep. */
export async function until(flag: Int32Array, i: number, n: number): Promise<void> {
  for (;;) {
    const v = Atomics.load(flag, i);
    if (v >= n) return;
    const r = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, t?: number): { async: boolean; value: Promise<string> | string } }).waitAsync(flag, i, v, 10_000);
    if (r.async) await r.value;
  }
}

/**
 * Polls (between event-loop turns, no timers) until `words[i] === v`: for words that change without an
 * `Atomics.notify`, such as a lock word a waiter marks contended just before it sleeps.
 */
export async function whenEquals(words: Int32Array, i: number, v: number): Promise<void> {
  while (Atomics.load(words, i) !== v) await new Promise((resolve) => setImmediate(resolve));
}
