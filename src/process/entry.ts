/**
 * The file every Process thread loads (bundled into entry.bundle.js by scripts/bundle-worker.mjs).
 * It rebuilds the shipped target and its arguments, calls it once and awaits it. The thread then
 * ends the way any Node program does: when nothing it started is still pending. Exit code 0, or 1
 * when the target threw (the error is sent to the Process object first), or what `process.exit(n)`
 * gave. Nothing here runs on the kernel thread.
 */
import { parentPort, workerData } from "node:worker_threads";
// The rebuilding half of ship/ only: the capturing half (acorn, TypeScript, the inspector) would slow
// every start.
import { loadShippedFunction } from "../ship/rebuild";
import { toWireError } from "../pool/wire-error";
// Lanes shared objects (Value, Array, locks, queues) in the target's captures or args arrive through the
// transfer handler this registers; their classes load when the first one arrives.
import "../shared/register";
import { hrtimeMs } from "../trace/clock";
import type { ProcessMessage, ProcessSetup } from "./protocol";

const setup = workerData as ProcessSetup;

function post(message: ProcessMessage): void {
  parentPort?.postMessage(message);
}

function failed(error: unknown): void {
  post({ kind: "error", error: toWireError(error, __filename) });
  process.exitCode = 1;
}

async function main(): Promise<void> {
  let target: (...args: unknown[]) => unknown;
  let args: unknown[];
  try {
    target = loadShippedFunction(setup.target);
    args = setup.args === null ? [] : (loadShippedFunction(setup.args)() as unknown[]);
  } catch (error) {
    failed(error);
    return;
  }
  post({ kind: "started", hr: hrtimeMs() });
  // Until the target settles, the thread must not end: a promise on its own (Atomics.waitAsync, a
  // queue's wait) holds no handle, and Node would end the thread with exit code 0 mid-target.
  const alive = setInterval(() => {}, 2 ** 30);
  try {
    await target(...args);
  } catch (error) {
    failed(error);
  } finally {
    clearInterval(alive);
  }
}

// From a microtask, not during the module's load: a stack trace of the target then starts at the target,
// without the module loader's frames below it.
void Promise.resolve().then(main);
