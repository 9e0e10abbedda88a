import type { TaskFunctionRef } from "../ship";

/**
 * Options of `new Process(…)`, like the arguments of Python's `multiprocessing.Process`.
 * @example new Process({ target: (n: number) => console.log(n * 2), args: [21], name: "doubler" })
 */
export interface ProcessOptions<A extends readonly unknown[] = unknown[]> {
  /**
   * What the Process runs: a function (a notebook function or closure, shipped like a Pool's
   * function: what it refers to is captured when `start()` is called), or `{ module, name }`. An
   * async function is awaited: the Process lives until its promise settles.
   * @example new Process({ target: async (url: string) => console.log((await fetch(url)).status), args: ["https://example.org"] })
   * @example new Process({ target: { module: "./tasks.ts", name: "work" } })
   */
  target: ((...args: A) => unknown) | TaskFunctionRef;
  /**
   * The arguments `target` is called with, captured when `start()` is called. Plain data is copied
   * (structured clone); `SharedArrayBuffer`s, typed arrays over them and Lanes' shared objects
   * arrive shared; functions are shipped like `target`.
   * @default []
   * @example new Process({ target: (counts: Int32Array) => Atomics.add(counts, 0, 1), args: [new Int32Array(new SharedArrayBuffer(4))] })
   */
  args?: A;
  /**
   * Shown in timelines and error messages, like Python's `name`.
   * @default "Process-N" (N counts the Processes created so far, from 1)
   * @example new Process({ target: work, name: "loader" })
   */
  name?: string;
  /**
   * Values for names `target` refers to, passed explicitly (see `shipFunction`).
   * @default {}
   * @example new Process({ target: () => console.log(scale), context: { scale } })
   */
  context?: Record<string, unknown>;
  /**
   * Like Python's `daemon`: a daemon Process does not keep the kernel (or a script) alive; it is
   * ended when the program exits. A non-daemon Process is waited for, as in Python.
   * @default false
   * @example new Process({ target: watch, daemon: true })
   */
  daemon?: boolean;
}
