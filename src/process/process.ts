import { Worker } from "node:worker_threads";
import { ProcessStateError, RemoteError } from "../errors";
import { watchKernelShutdown } from "../pool/kernel-exit";
import { callsStarted, INTERRUPT, poolEnded, poolOpened, type Interruptible } from "../pool/signals";
import { toWireError } from "../pool/wire-error";
import { shipFunction, type ShippedFunction, type TaskFunction } from "../ship";
import { fromHrtime, now } from "../trace/clock";
import type { Timeline } from "../trace/timeline";
import { processEntryFile } from "./entry-file";
import { EXIT_INTERRUPTED, EXIT_KILLED, EXIT_TERMINATED } from "./exit-codes";
import type { ProcessOptions } from "./options";
import type { ProcessMessage, ProcessSetup } from "./protocol";
import type { ProcessRecord } from "./record";
import { exited, liveProcesses, nextName, records, started } from "./registry";
import { processTimeline } from "./timeline";

type State = "initial" | "started" | "exited";

/** Which Processes `Process.timeline` draws. */
export interface ProcessTimelineSelection {
  /**
   * Only Processes started at or after this time (epoch milliseconds, as `Date.now()` gives, or a `Date`):
   * a mark taken before a cell's work.
   * @default every Process still kept (the last 1000 started)
   * @example const mark = Date.now(); …; show(Process.timeline({ since: mark }))
   */
  since?: number | Date;
}

/**
 * Runs `target(...args)` on a worker thread of its own, like Python's `multiprocessing.Process`.
 * Every method that waits returns a Promise: the kernel thread never blocks.
 *
 * Exit codes (`exitCode`): `null` until the thread exited; `0` when the target returned (an async
 * target: when its promise resolved); `1` when it threw (the error is printed to stderr, which in a
 * notebook is the cell running at the time, and kept as `error`); `n` after `process.exit(n)`
 * inside; `-15` after `terminate()` or a kernel shutdown (SIGTERM), `-9` after `kill()`, `-2` after
 * a Jupyter interrupt (SIGINT), like Python's `-signal` numbers.
 *
 * Interrupt and shutdown: an interrupt (SIGINT: Jupyter's ■ button, Ctrl-C) terminates every running
 * Process (exit code -2): as in Python, where the interrupt reaches the children too and usually ends
 * them. The kernel stays up. A kernel shutdown (SIGTERM) terminates them all (-15), so no thread
 * outlives the kernel. A non-daemon Process keeps a script alive until it exits, as in Python.
 *
 * @example
 * const p = new Process({ target: (n: number) => console.log("worker says", n), args: [42] });
 * p.start();
 * await p.join();
 * p.exitCode; // 0
 *
 * @example
 * // Several at once, then their lanes
 * const ps = [1, 2, 3].map((i) => new Process({ target: work, args: [i] }));
 * ps.forEach((p) => p.start());
 * await Promise.all(ps.map((p) => p.join()));
 * show(Process.timeline());
 */
export class Process<A extends readonly unknown[] = unknown[]> {
  /** Shown in timelines and messages: the `name` option, or `Process-N`. */
  readonly name: string;
  /** Whether this Process lets the program exit without waiting for it (see `ProcessOptions.daemon`). */
  readonly daemon: boolean;
  private readonly target: TaskFunction;
  private readonly args: readonly unknown[];
  private readonly context: Record<string, unknown> | undefined;
  private state: State = "initial";
  private worker: Worker | undefined;
  private record: ProcessRecord | undefined;
  private code: number | null = null;
  private uncaught: RemoteError | undefined;
  /** The exit code to report instead of the thread's own, once it was ended from outside. */
  private endedAs: number | undefined;
  private readonly exit: Promise<number>;
  private resolveExit!: (code: number) => void;
  /** What pool/signals sees: an interrupt ends the Process with -2, a shutdown with -15. */
  private readonly signals: Interruptible = {
    [INTERRUPT]: () => void this.end(EXIT_INTERRUPTED, "interrupt"),
    terminate: async () => {
      await this.terminate();
    },
  };

  constructor(options: ProcessOptions<A>) {
    const target = (options as Partial<ProcessOptions<A>> | undefined)?.target;
    if (typeof target !== "function" && (typeof target !== "object" || target === null)) {
      throw new TypeError(`new Process needs a target function: new Process({ target: (x) => …, args: [x] }), not ${target === null ? "null" : typeof target}`);
    }
    const args: readonly unknown[] = options.args ?? [];
    if (!Array.isArray(args)) throw new TypeError(`a Process's args must be an array of arguments (args: [x, y]), not ${typeof args}`);
    this.target = target as TaskFunction;
    this.args = args;
    this.context = options.context;
    this.name = options.name ?? nextName();
    this.daemon = options.daemon ?? false;
    this.exit = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /**
   * Ships the target and its arguments (capturing what they refer to now) and starts the thread.
   * @throws ProcessStateError when the Process was already started (a Process runs once, as in Python).
   * @throws NotShippableError when the target or an argument cannot cross into a thread; nothing started.
   */
  start(): void {
    if (this.state !== "initial") {
      throw new ProcessStateError(`${this.name} was already started (it is ${this.state === "started" ? "running" : `done, exit code ${String(this.code)}`}): a Process runs once, as in Python. Create a new Process to run the target again.`);
    }
    const queued = now();
    const setup: ProcessSetup = { target: shipFunction(this.target, { context: this.context }), args: this.args.length === 0 ? null : shipArgs(this.args) };
    const worker = new Worker(processEntryFile(), { workerData: setup });
    this.state = "started";
    this.worker = worker;
    const record: ProcessRecord = { name: this.name, threadId: worker.threadId, queued, started: NaN, finished: NaN, exitCode: null, errorName: undefined };
    this.record = record;
    worker.on("online", () => {
      if (Number.isNaN(record.started)) record.started = now();
    });
    worker.on("message", (message: ProcessMessage) => {
      if (message.kind === "started") record.started = fromHrtime(message.hr);
      else this.failed(new RemoteError(message.error));
    });
    // An error thrown later, outside the target (in a timer it set, an unhandled rejection).
    worker.on("error", (error) => this.failed(new RemoteError(toWireError(error))));
    worker.on("exit", (threadCode) => this.exited(threadCode));
    // After the listeners: adding a "message" listener refs the thread again.
    if (this.daemon) worker.unref();
    started(this, record);
    watchKernelShutdown();
    poolOpened(this.signals);
    callsStarted(this.signals);
  }

  /**
   * Waits until the thread exited, or for `timeoutMs` at most; resolves with the exit code, or with
   * `null` when the time ran out (the Process is then still running, as in Python). Never rejects
   * because the target failed: look at `exitCode` and `error`.
   * @throws ProcessStateError (a rejection) when the Process was never started.
   * @example if ((await p.join(1000)) === null) await p.terminate();
   */
  join(timeoutMs?: number): Promise<number | null> {
    if (this.state === "initial") return Promise.reject(new ProcessStateError(`${this.name} was never started: call start() before join(), as in Python ("can only join a started process").`));
    if (timeoutMs === undefined || timeoutMs === Infinity) return this.exit;
    if (this.state === "exited") return Promise.resolve(this.code);
    const wait = Math.max(0, timeoutMs);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.code), wait);
      void this.exit.then((code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  /** Whether the thread was started and has not exited yet, like Python's `is_alive()`. */
  isAlive(): boolean {
    return this.state === "started";
  }

  /**
   * Ends the thread now, wherever its code is (even in a busy loop or an `Atomics.wait`); resolves with
   * the exit code, -15 (Python's `-SIGTERM`) unless the thread had exited by itself already.
   * @throws ProcessStateError (a rejection) when the Process was never started.
   */
  terminate(): Promise<number> {
    return this.end(EXIT_TERMINATED, "terminate");
  }

  /**
   * Like `terminate()`, exit code -9 (Python's `-SIGKILL`). A thread cannot be asked to clean up, so
   * both end it the same way; only the exit code tells them apart.
   * @throws ProcessStateError (a rejection) when the Process was never started.
   */
  kill(): Promise<number> {
    return this.end(EXIT_KILLED, "kill");
  }

  /** `null` until the thread exited, then its exit code (see the class comment for the values). */
  get exitCode(): number | null {
    return this.code;
  }

  /** What the target threw, when it ended with an uncaught error (exit code 1); the stack is the thread's. */
  get error(): RemoteError | undefined {
    return this.uncaught;
  }

  /** The thread's `threadId` (from `node:worker_threads`), `null` before `start()`. Processes share the kernel's OS `pid`. */
  get threadId(): number | null {
    return this.worker === undefined ? null : this.worker.threadId >= 0 ? this.worker.threadId : (this.record?.threadId ?? null);
  }

  /** Python's `ident` (there the pid): here the `threadId`. */
  get ident(): number | null {
    return this.threadId;
  }

  /**
   * The Processes as a timeline, one lane per Process from `start()` to exit (`show(…)` draws it):
   * the given ones, those started since a mark, or every one kept (the last 1000 started).
   * @example show(Process.timeline())
   * @example show(Process.timeline([p1, p2]))
   * @example const mark = Date.now(); …; show(Process.timeline({ since: mark }))
   */
  static timeline(selection: Iterable<Process> | ProcessTimelineSelection = {}): Timeline {
    if (Symbol.iterator in selection) {
      const chosen: ProcessRecord[] = [];
      for (const p of selection) {
        const record = p.record;
        if (record !== undefined) chosen.push(record);
      }
      return processTimeline(chosen);
    }
    const since = selection.since instanceof Date ? selection.since.getTime() : (selection.since ?? -Infinity);
    return processTimeline(records().filter((r) => r.queued >= since));
  }

  /** The live Processes (started and not exited), like Python's `multiprocessing.active_children()`. */
  static active(): Process[] {
    return liveProcesses<Process>();
  }

  private end(code: number, what: string): Promise<number> {
    if (this.state === "initial") return Promise.reject(new ProcessStateError(`${this.name} was never started: there is nothing to ${what}. Call start() first.`));
    if (this.state === "started") {
      this.endedAs ??= code;
      void this.worker!.terminate();
    }
    return this.exit;
  }

  private failed(error: RemoteError): void {
    // The first error is the one that ended the target; later ones (from timers it left) are printed too.
    this.uncaught ??= error;
    if (this.record !== undefined) this.record.errorName ??= error.remoteName;
    const where = this.threadId === null ? "" : ` (thread ${this.threadId})`;
    process.stderr.write(`Process ${this.name}${where} failed:\n${error.remoteStack ?? `${error.remoteName}: ${error.message}`}\n`);
  }

  private exited(threadCode: number): void {
    this.state = "exited";
    this.code = this.endedAs ?? threadCode;
    const record = this.record!;
    record.finished = now();
    if (Number.isNaN(record.started)) record.started = record.finished;
    record.exitCode = this.code;
    exited(this);
    poolEnded(this.signals);
    this.resolveExit(this.code);
  }
}

/**
 * The argument list, shipped as what a function returns: arguments cross like captured values
 * (shared memory and Lanes' shared objects stay shared, functions are shipped), not as bare data.
 */
function shipArgs(args: readonly unknown[]): ShippedFunction {
  return shipFunction(
    function processArgs() {
      return args;
    },
    { context: { args } },
  );
}
