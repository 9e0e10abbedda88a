/**
 * Encodes spans into the compact column form of the wire ({@link SpanColumnsV1}) and back. The
 * extension imports `decodeSpans` from here.
 */
import { OUTCOME_CODES, type SpanColumnsV1, type SpanOutcome, type SpanV1 } from "./mime";

/** Outcomes in the order of their numeric codes in {@link SpanArrays.outcome}. */
export const OUTCOMES: readonly SpanOutcome[] = ["ok", "error", "cancelled", "running", "queued"];

/** Spans as parallel arrays (how the recorder keeps them). Times are ms since the origin; NaN when absent. */
export interface SpanArrays {
  count: number;
  worker: ArrayLike<number>;
  threadId: ArrayLike<number>;
  call: ArrayLike<number>;
  queued: ArrayLike<number>;
  started: ArrayLike<number>;
  finished: ArrayLike<number>;
  first: ArrayLike<number>;
  last: ArrayLike<number>;
  /** Index into {@link OUTCOMES}. */
  outcome: ArrayLike<number>;
  /** Error name by span index, for failed spans. */
  errors: ReadonlyMap<number, string>;
  /** Exit code by span index, for spans of Processes that exited (absent for pool tasks). */
  exitCodes?: ReadonlyMap<number, number>;
}

const QUEUED = OUTCOMES.indexOf("queued");
const RUNNING = OUTCOMES.indexOf("running");
const CANCELLED = OUTCOMES.indexOf("cancelled");

/** Whether a span with this outcome code (index into {@link OUTCOMES}) has its items done: it ended ok or failed. */
export function isDone(outcome: number): boolean {
  return outcome !== QUEUED && outcome !== RUNNING && outcome !== CANCELLED;
}

const CODE_OF: readonly string[] = OUTCOMES.map((o) => OUTCOME_CODES[o]);
const OUTCOME_OF_CODE = new Map<string, SpanOutcome>(OUTCOMES.map((o) => [OUTCOME_CODES[o], o]));

/** `duration` sentinels (real durations are ≥ 0). */
export const NOT_STARTED = -1;
export const NOT_FINISHED = -2;

const micros = (ms: number): number => Math.round(ms * 1000);

/** Zero-filled, writable span arrays for `n` spans (a {@link SpanArrays} once filled). */
export function allocSpanArrays(n: number) {
  return {
    count: n,
    worker: new Int32Array(n),
    threadId: new Int32Array(n),
    call: new Int32Array(n),
    queued: new Float64Array(n),
    started: new Float64Array(n),
    finished: new Float64Array(n),
    first: new Float64Array(n),
    last: new Float64Array(n),
    outcome: new Uint8Array(n),
    errors: new Map<number, string>(),
    exitCodes: new Map<number, number>(),
  };
}

/** Column-encodes spans `[from, to)` of `spans` (all of them by default). */
export function encodeSpans(spans: SpanArrays, from = 0, to = spans.count): SpanColumnsV1 {
  const n = Math.max(0, to - from);
  const worker = new Array<number>(n);
  const queued = new Array<number>(n);
  const started = new Array<number>(n);
  const duration = new Array<number>(n);
  const items = new Array<number>(n);
  const outcome: string[] = new Array<string>(n);
  const callRuns: number[] = [];
  const threads: number[] = [];
  const itemJumps: number[] = [];
  const errors: number[] = [];
  const errorNames: string[] = [];
  const errorIndex = new Map<string, number>();
  const exitCodes: number[] = [];
  const laneThread = new Map<number, number>();
  const callCursor = new Map<number, number>();
  let prevQueued = 0;
  let prevStarted = 0;
  for (let k = 0; k < n; k++) {
    const i = from + k;
    const code = spans.outcome[i] ?? 0;
    outcome[k] = CODE_OF[code] ?? "o";
    const w = spans.worker[i] ?? -1;
    worker[k] = w;
    const q = micros(spans.queued[i] ?? 0);
    queued[k] = q - prevQueued;
    prevQueued = q;
    const s = spans.started[i] ?? NaN;
    const f = spans.finished[i] ?? NaN;
    if (Number.isNaN(s)) {
      started[k] = 0;
      duration[k] = NOT_STARTED;
    } else {
      const sm = micros(s);
      started[k] = sm - prevStarted;
      prevStarted = sm;
      duration[k] = Number.isNaN(f) ? NOT_FINISHED : Math.max(0, micros(f) - sm);
    }
    if (w >= 0) {
      const t = spans.threadId[i] ?? -1;
      if (laneThread.get(w) !== t) {
        laneThread.set(w, t);
        threads.push(k, t);
      }
    }
    const c = spans.call[i] ?? 0;
    if (callRuns.length > 0 && callRuns[callRuns.length - 2] === c) callRuns[callRuns.length - 1]!++;
    else callRuns.push(c, 1);
    const first = spans.first[i] ?? 0;
    const last = spans.last[i] ?? first;
    if ((callCursor.get(c) ?? 0) !== first) itemJumps.push(k, first);
    callCursor.set(c, last);
    items[k] = last - first;
    const error = spans.errors.get(i);
    if (error !== undefined) {
      let e = errorIndex.get(error);
      if (e === undefined) {
        e = errorNames.length;
        errorIndex.set(error, e);
        errorNames.push(error);
      }
      errors.push(k, e);
    }
    const exitCode = spans.exitCodes?.get(i);
    if (exitCode !== undefined) exitCodes.push(k, exitCode);
  }
  const columns: SpanColumnsV1 = { count: n, worker, queued, started, duration, items, outcome: outcome.join(""), callRuns, threads, itemJumps, errors, errorNames };
  // Only Process timelines carry exit codes: pool payloads stay as they were.
  if (exitCodes.length > 0) columns.exitCodes = exitCodes;
  return columns;
}

/** Pairs `[index, value, index, value, …]` as a map. */
function pairs(flat: readonly number[]): Map<number, number> {
  const map = new Map<number, number>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i]!, flat[i + 1]!);
  return map;
}

/** Turns column-encoded spans back into one object per span (times in ms since the origin, µs precision). */
export function decodeSpans(columns: SpanColumnsV1): SpanV1[] {
  const threadAt = pairs(columns.threads);
  const jumpAt = pairs(columns.itemJumps);
  const errorAt = pairs(columns.errors);
  const exitAt = pairs(columns.exitCodes ?? []);
  const laneThread = new Map<number, number>();
  const callCursor = new Map<number, number>();
  const out: SpanV1[] = [];
  let run = 0;
  let runLeft = 0;
  let q = 0;
  let s = 0;
  for (let k = 0; k < columns.count; k++) {
    while (runLeft === 0 && run < columns.callRuns.length) {
      runLeft = columns.callRuns[run + 1] ?? 0;
      run += 2;
    }
    runLeft--;
    const call = columns.callRuns[run - 2] ?? 0;
    const outcome = OUTCOME_OF_CODE.get(columns.outcome[k] ?? "o") ?? "ok";
    const worker = columns.worker[k] ?? -1;
    const t = threadAt.get(k);
    if (t !== undefined && worker >= 0) laneThread.set(worker, t);
    q += columns.queued[k] ?? 0;
    const span: SpanV1 = {
      worker,
      threadId: worker >= 0 ? (laneThread.get(worker) ?? -1) : -1,
      call,
      queued: q / 1000,
      items: [0, 0],
      outcome,
    };
    const d = columns.duration[k] ?? NOT_STARTED;
    if (d !== NOT_STARTED) {
      s += columns.started[k] ?? 0;
      span.started = s / 1000;
      if (d !== NOT_FINISHED) span.finished = (s + d) / 1000;
    }
    const first = jumpAt.get(k) ?? callCursor.get(call) ?? 0;
    const last = first + (columns.items[k] ?? 0);
    callCursor.set(call, last);
    span.items = [first, last];
    const e = errorAt.get(k);
    if (e !== undefined) span.error = columns.errorNames[e] ?? "Error";
    const exitCode = exitAt.get(k);
    if (exitCode !== undefined) span.exitCode = exitCode;
    out.push(span);
  }
  return out;
}
