/**
 * Kernel shutdown and restart with work running. tslab answers Jupyter's `shutdown_request` by
 * closing its sockets (its `ZmqServer.close`) and nothing more (notes/tslab.md): a busy worker thread
 * would keep the kernel process alive until Jupyter sends SIGTERM seconds later, or SIGKILL. Lanes
 * wraps that `close` of the kernel's own tslab: every pool is terminated and every Process ended
 * first, so the process exits as soon as tslab has closed its sockets; should something else still
 * hold it (a user's timer or server), it exits 1 s later anyway, as the shutdown asked.
 */
import { join, dirname } from "node:path";
import { liveProcesses } from "../process/registry";
import { livePools } from "./registry";

/** What ends this copy of Lanes' threads; one per copy of Lanes loaded in the kernel. */
const ENDERS = Symbol.for("lanes.kernelExit.enders");
const PATCHED = Symbol.for("lanes.kernelExit.patched");
/** After tslab closed its sockets, the longest the kernel may take to exit by itself. */
const EXIT_WITHIN_MS = 1000;

type Holder = { [ENDERS]?: Set<() => void> };
type ServerClass = { prototype: { close: (this: unknown) => void; [PATCHED]?: true } };

let installed = false;

/** Ends this copy's pools and Processes; nothing is awaited: the process is going away. */
function endAll(): void {
  for (const pool of livePools()) void pool.terminate().catch(() => undefined);
  for (const p of liveProcesses<{ terminate(): Promise<unknown> }>()) void p.terminate().catch(() => undefined);
}

/** Wraps the kernel's `ZmqServer.close`, once per kernel (called when a Pool or Process is made); nothing happens outside tslab. */
export function watchKernelShutdown(): void {
  if (installed) return;
  installed = true;
  const server = kernelServer();
  if (server === undefined) return;
  const holder = globalThis as Holder;
  const enders = (holder[ENDERS] ??= new Set());
  enders.add(endAll);
  const proto = server.prototype;
  if (proto[PATCHED] === true) return;
  const close = proto.close;
  proto.close = function (this: unknown): void {
    for (const end of enders) {
      try {
        end();
      } catch {
        // Shutting down: one copy's failure must not keep the others' threads alive.
      }
    }
    try {
      close.call(this);
    } finally {
      setTimeout(() => process.exit(0), EXIT_WITHIN_MS).unref();
    }
  };
  proto[PATCHED] = true;
}

/** The kernel's tslab `ZmqServer` class (its `dist/jupyter.js`), if this is a tslab kernel. */
function kernelServer(): ServerClass | undefined {
  const tslab = (globalThis as { __tslab__?: unknown }).__tslab__;
  if (tslab === undefined) return undefined;
  for (const file of Object.keys(require.cache)) {
    if (!file.endsWith(join("tslab", "dist", "main.js")) && !file.endsWith(join("tslab", "dist", "jupyter.js"))) continue;
    const jupyter = require.cache[join(dirname(file), "jupyter.js")]?.exports as { ZmqServer?: unknown } | undefined;
    const server = jupyter?.ZmqServer as ServerClass | undefined;
    if (server !== undefined && typeof (server as unknown) === "function" && typeof server.prototype?.close === "function") return server;
  }
  return undefined;
}
