/**
 * The one file piscina loads in every worker thread. It runs batches of items through a shipped
 * function and answers with their results; nothing here ever runs on the kernel thread.
 */
import { threadId, workerData } from "node:worker_threads";
import { performance } from "node:perf_hooks";
// Straight to the rebuilding half of ship/: the capturing half (acorn, the TypeScript compiler,
// the inspector) never runs in a worker, and loading it would slow every worker's start.
import { loadShippedFunction } from "../ship/rebuild";
import type { BatchRequest, BatchResponse, ItemError, PackedItems, ItemList, WorkerSetup } from "../pool/protocol";
import { packItems, unpackItems } from "../pool/items";
import { claim } from "../pool/claims";
import { batchAnswers, batchBegins, itemBegins } from "../pool/progress";
import { toWireError } from "../pool/wire-error";
import { findUncloneable } from "../pool/uncloneable";
// Lanes shared objects (Value, Array, Lock …) captured by a task arrive through this handler.
// Lanes shared objects (Value, Array, Lock …): captured ones arrive through the transfer handler this
// registers, initargs and apply/starmap arguments through reviveShared/reviveArgs. Their classes load on first use.
import { reviveArgs, reviveShared } from "../shared/revive";
// Class instances among initargs and results (src/ship/instance-codec.ts).
import { reviveArgsWithInstances } from "../ship/instance-codec";

type Fn = (...args: unknown[]) => unknown;

const setup = workerData as WorkerSetup;
/**
 * The worker's one cache of rebuilt functions, by `fnId` (the payload's `id`), least recently used
 * first: past MAX_FUNCTIONS the oldest goes, and the kernel resends a payload the worker answers
 * "miss" for, so forgetting one costs a resend, never a failure.
 */
const functions = new Map<string, Fn>();
const MAX_FUNCTIONS = 256;
const epoch = performance.timeOrigin;
let tasksRun = 0;
let retired = false;
/** Settles once the initializer ran; holds its error when it threw. */
let initialized: Promise<unknown> | undefined;
let initError: unknown;
let initDone = setup.initializer === null;
/** Batches run one after another, even when piscina posts the next one while an async task is pending. */
let tail: Promise<unknown> | undefined;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

function startInitializer(): Promise<unknown> {
  initialized ??= (async () => {
    try {
      const init = loadShippedFunction(setup.initializer!);
      await init(...reviveArgsWithInstances(reviveShared([...setup.initargs])));
    } catch (error) {
      initError = error ?? new Error("the initializer threw " + String(error));
    }
    initDone = true;
  })();
  return initialized;
}

function retire(): void {
  retired = true;
  // Mark before answering: the kernel's balancer reads this table when our answer frees us.
  Atomics.store(setup.retired, threadId % setup.retired.length, threadId);
}

/** State of one batch while it runs; the sync path and the async path share it. */
interface Run {
  req: BatchRequest;
  /** `req.items`, unpacked. */
  items: ItemList;
  fn: Fn;
  /** Results while every one so far is a number; then `out` takes over. */
  nums: Float64Array | undefined;
  out: unknown[] | undefined;
  errors: ItemError[];
  i: number;
  /** Items before this index are this worker's to run (claimed through `req.claim`). */
  limit: number;
  /** Items the next claim asks for. */
  block: number;
  /** When the last claim was made (performance.now()), 0 before the first. */
  claimedAt: number;
  started: number;
}

/** Claims never ask for more items than this at once. */
const MAX_BLOCK = 4096;

/**
 * Claims more of the message (./claims); false when the rest went to another worker. Claims are
 * sized to hold about 0.1–1 ms of work: few atomic operations for tiny items, one item at a time
 * for slow ones, so that what is still unclaimed can be shared out.
 */
function claimMore(run: Run): boolean {
  const slot = run.req.claim;
  if (slot < 0) {
    run.limit = run.items.length;
    return run.i < run.limit;
  }
  const now = performance.now();
  if (run.claimedAt !== 0) {
    const ms = now - run.claimedAt;
    if (ms < 0.1) run.block = Math.min(2 * run.block, MAX_BLOCK);
    else if (ms > 1) run.block = Math.max(1, run.block >> 1);
  }
  run.claimedAt = now;
  run.limit = claim(setup.claims, slot, run.block);
  return run.i < run.limit;
}

/** Runs items from `run.i` on until one returns a promise (returned) or the batch ends (undefined). */
function runSync(run: Run): PromiseLike<unknown> | undefined {
  const { req, fn, items } = run;
  const { chunksize, start, star } = req;
  const n = items.length;
  const max = setup.maxTasksPerChild;
  for (; run.i < n; run.i++) {
    if (run.i >= run.limit && !claimMore(run)) break;
    const i = run.i;
    // A task begins at each chunk boundary, and where a part shared out of another worker's chunk begins.
    if (i === 0 || (start + i) % chunksize === 0) {
      if (retired) break;
      tasksRun++;
      if (max > 0 && tasksRun >= max) retire();
    }
    // Which item runs, for the kernel: a crash or a timeout then fails this item only.
    itemBegins(setup.progress, threadId, i);
    let value: unknown;
    try {
      value = star ? fn(...reviveArgs(items[i] as unknown[])) : fn(items[i]);
    } catch (error) {
      if (fail(run, i, error)) break;
      continue;
    }
    if (typeof value === "number" && run.nums !== undefined) run.nums[i] = value;
    else if (isThenable(value)) return value;
    else {
      let stop: boolean;
      try {
        stop = store(run, i, value);
      } catch (error) {
        // A getter of the result threw while it was checked: that item failed, as it would have in the clone.
        stop = fail(run, i, error);
      }
      if (stop) break;
    }
  }
  return undefined;
}

/** Keeps item `i`'s result; true when the batch must stop (the result could not be sent back). */
function store(run: Run, i: number, value: unknown): boolean {
  if (typeof value === "number" && run.nums !== undefined) {
    run.nums[i] = value;
    return false;
  }
  // Anything that can hold a function or a symbol is checked here: one that reached postMessage would
  // end this thread and lose the whole batch's results.
  if (typeof value === "object" || typeof value === "function" || typeof value === "symbol") {
    const bad = value === null ? undefined : findUncloneable(value);
    if (bad !== undefined) {
      const error = new Error(`the task returned ${bad}, which cannot be copied back from the worker: return plain data (numbers, strings, arrays, plain objects, Maps, Dates, typed arrays)`);
      error.name = "UncloneableResultError";
      return fail(run, i, error);
    }
  }
  generic(run, i)[i] = value;
  return false;
}

/**
 * Switches a run's results from a Float64Array to a plain array (the first non-number result).
 * Results are appended in order, so the array stays packed: V8 clones a holey array element by
 * element as a sparse one, several times slower.
 */
function generic(run: Run, i: number): unknown[] {
  if (run.nums !== undefined) {
    const out: unknown[] = [];
    for (let j = 0; j < i; j++) out.push(run.nums[j]);
    run.out = out;
    run.nums = undefined;
  }
  return run.out!;
}

/** Records a failed item; true when the batch must stop. */
function fail(run: Run, i: number, error: unknown): boolean {
  run.errors.push({ index: run.req.start + i, error: toWireError(error, __filename) });
  generic(run, i)[i] = undefined;
  if (run.req.stopOnError) {
    run.i = i + 1;
    return true;
  }
  return false;
}

async function runAsync(run: Run, pending: PromiseLike<unknown>): Promise<BatchResponse> {
  for (;;) {
    const i = run.i;
    let stop: boolean;
    try {
      stop = store(run, i, await pending);
    } catch (error) {
      stop = fail(run, i, error);
    }
    if (stop) return finish(run);
    run.i = i + 1;
    const next = runSync(run);
    if (next === undefined) return finish(run);
    pending = next;
  }
}

/** A result holds an instance of a class only this worker has (found while packing): that item fails. */
function foreignResult(run: Run, i: number, what: string): void {
  const error = new Error(`the task returned ${what}, which cannot be copied back from the worker`);
  error.name = "UncloneableResultError";
  run.errors.push({ index: run.req.start + i, error: toWireError(error, __filename) });
  run.errors.sort((a, b) => a.index - b.index);
}

function finish(run: Run): BatchResponse {
  batchAnswers(setup.progress, threadId);
  const n = run.items.length;
  const ran = Math.min(run.i, n);
  const results: PackedItems = run.nums !== undefined ? (ran === n ? run.nums : run.nums.slice(0, ran)) : packItems(run.out!, 0, ran, (i, what) => foreignResult(run, i, what));
  return {
    kind: "done",
    threadId,
    results,
    ran,
    errors: run.errors,
    retired,
    started: epoch + run.started,
    finished: epoch + performance.now(),
  };
}

/** Rebuilds and caches the function a message carries; the load-error answer when that fails. */
function load(req: BatchRequest): BatchResponse | undefined {
  if (req.fn === undefined || functions.has(req.fnId)) return undefined;
  try {
    functions.set(req.fnId, loadShippedFunction(req.fn));
    // Bounded (least recently used first: runBatch moves a hit to the end); the kernel resends a
    // payload the worker answers "miss" for.
    if (functions.size > MAX_FUNCTIONS) functions.delete(functions.keys().next().value!);
  } catch (error) {
    return { kind: "load-error", threadId, error: toWireError(error, __filename) };
  }
  return undefined;
}

function runBatch(req: BatchRequest): BatchResponse | Promise<BatchResponse> {
  if (!initDone) return startInitializer().then(() => runBatch(req));
  if (initError !== undefined) return { kind: "init-error", threadId, error: toWireError(initError, __filename) };
  const failed = load(req);
  if (failed !== undefined) return failed;
  const fn = functions.get(req.fnId);
  if (fn === undefined) return { kind: "miss", threadId };
  // Most recently used last: the cache forgets from the front.
  functions.delete(req.fnId);
  functions.set(req.fnId, fn);
  batchBegins(setup.progress, threadId, req.token);
  const items = unpackItems(req.items);
  const run: Run = { req, items, fn, nums: new Float64Array(items.length), out: undefined, errors: [], i: 0, limit: 0, block: 1, claimedAt: 0, started: performance.now() };
  const pending = runSync(run);
  return pending === undefined ? finish(run) : runAsync(run, pending);
}

/** piscina's task handler: one call per batch message. */
export default function handle(req: BatchRequest): BatchResponse | Promise<BatchResponse> {
  // Cache the function as soon as the message arrives, so a later message that carries only the id finds it;
  // but not before the initializer ran: it may register a transfer handler the function's captured values
  // need (runBatch loads it then, and later messages queue behind that batch).
  if (initDone) {
    const failed = load(req);
    if (failed !== undefined) return failed;
  }
  const result = tail === undefined ? runBatch(req) : tail.then(() => runBatch(req));
  if (isThenable(result)) {
    tail = result;
    void result.finally(() => { if (tail === result) tail = undefined; });
  }
  return result;
}

if (setup.initializer !== null) void startInitializer();
