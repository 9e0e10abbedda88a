/** Everything that crosses between a Process object and its thread (src/process/entry.ts). */
import type { WireError } from "../pool/protocol";
import type { ShippedFunction } from "../ship/payload";

/** The thread's `workerData`. */
export interface ProcessSetup {
  readonly target: ShippedFunction;
  /** A shipped function returning the argument list (so shared objects and functions in it cross like captured values); null for no arguments. */
  readonly args: ShippedFunction | null;
}

/** What the thread tells its Process object. */
export type ProcessMessage =
  /** The target is about to be called; `hr` is the thread's `hrtimeMs()` (one clock for all threads: no perf_hooks to load first). */
  | { readonly kind: "started"; readonly hr: number }
  /** The target threw (or its promise rejected), or it could not be rebuilt: the exit code will be 1. */
  | { readonly kind: "error"; readonly error: WireError };
