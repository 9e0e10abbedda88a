/**
 * The wire format between the kernel helper (`lanes`) and the JupyterLab extension: MIME types and
 * payload shapes, defined once here and imported by both sides. Like everything in `src/wire/`, it
 * is bundled for the browser: lint fails on any Node import or Node-only global here.
 *
 * Payloads are versioned by MIME type (`…v1+json`); a breaking change means a new MIME type, so old
 * saved notebooks keep rendering.
 *
 * Spans travel column-wise and delta-coded ({@link SpanColumnsV1}) so that 10^5 of them stay well
 * under 2 MB; `decodeSpans` in `./span-codec` turns them back into {@link SpanV1}s.
 */

/** MIME type of a worker timeline payload ({@link TimelinePayloadV1}). */
export const TIMELINE_MIME = "application/vnd.lanes.timeline.v1+json";
/** MIME type of a table (dataframe) payload ({@link TablePayloadV1}). */
export const TABLE_MIME = "application/vnd.lanes.table.v1+json";

/** How a span's batch ended (or where it is, for a live display). */
export type SpanOutcome = "ok" | "error" | "cancelled" | "running" | "queued";

/** One-character code of each outcome in {@link SpanColumnsV1.outcome}. */
export const OUTCOME_CODES = { ok: "o", error: "e", cancelled: "c", running: "r", queued: "q" } as const satisfies Record<SpanOutcome, string>;

/**
 * One batch as it ran on one worker: consecutive items of one call, run back to back from one
 * message (several chunks when they are small; part of one when a slow message was shared out).
 * Times are milliseconds since the timeline's `origin`.
 */
export interface SpanV1 {
  /** Worker lane (0-based index of the worker in the pool); -1 while the batch is still queued. */
  worker: number;
  /** `threadId` of the worker thread that ran the batch; -1 while the batch is still queued. */
  threadId: number;
  /** Which call of the pool this batch belongs to (index into `calls`). */
  call: number;
  queued: number;
  /** Absent while the batch is still queued. */
  started?: number;
  /** Absent while the batch is still queued or running. */
  finished?: number;
  /** Input index range `[first, last)` covered by the batch. */
  items: [number, number];
  outcome: SpanOutcome;
  /** `name` of the first error an item of the batch threw, when `outcome` is `"error"`. */
  error?: string;
  /** Exit code of a Process's thread, once it exited (Process timelines only; absent for pool tasks). */
  exitCode?: number;
}

/**
 * Spans, column-wise. Times are whole microseconds, each column delta-coded against the previous
 * span's value (the first against 0 = the timeline's `origin`), because consecutive batches are
 * queued and started close together: most deltas are one to three digits. Sparse facts (thread
 * changes, item jumps, errors) are lists of `[spanIndex, value]` pairs, flattened.
 */
export interface SpanColumnsV1 {
  /** Number of spans; every per-span column has this length. */
  count: number;
  /** Worker lane per span (-1: not started yet). */
  worker: number[];
  /** Queued time, µs, as a delta from the previous span's queued time. */
  queued: number[];
  /** Started time, µs, as a delta from the previous started span's started time (0 for a span never started). */
  started: number[];
  /** `finished - started` in µs; -1 for a span never started (queued, or cancelled before it ran), -2 for one still running. */
  duration: number[];
  /** Items covered by each span (`last - first`). */
  items: number[];
  /** One outcome code per span (see {@link OUTCOME_CODES}): `"oooeo…"`. */
  outcome: string;
  /**
   * Call index of the spans as runs: `[call, runLength, call, runLength, …]`, in span order.
   * Runs are long because a call queues its batches together.
   */
  callRuns: number[];
  /**
   * `[spanIndex, threadId, …]`: a span whose worker lane ran on a different thread than that lane's
   * previous span (every lane's first span, and after a worker was replaced). Other spans inherit
   * their lane's thread.
   */
  threads: number[];
  /**
   * `[spanIndex, firstItem, …]`: a span whose first item is not where its call's previous span ended
   * (every call starts at item 0 unless listed here).
   */
  itemJumps: number[];
  /** `[spanIndex, errorNameIndex, …]` for spans that failed, indexing `errorNames`. */
  errors: number[];
  errorNames: string[];
  /**
   * `[spanIndex, exitCode, …]` for spans of Processes that exited (Process timelines only). Added
   * after v1 shipped: absent in pool timelines and in older payloads, so readers default to `[]`.
   */
  exitCodes?: number[];
}

/** Summary figures shown above a timeline. */
export interface TimelineSummaryV1 {
  /** From the first batch queued to the last one finished (or to now, while live). */
  wallMs: number;
  /** Busy fraction (0–1) per worker lane. */
  busy: number[];
  /** Sum of batch durations divided by wall time: how many workers were busy on average. */
  parallelism: number;
  /** Sum of batch durations: what one thread would have needed, dispatch cost excluded. */
  serialEstimateMs: number;
  /** `serialEstimateMs / wallMs`. */
  speedup: number;
  /** Sum over batches of (started − queued). */
  queueWaitMs: number;
  /** Spans (batches) in which an item threw. */
  errors: number;
  /**
   * Slow-path waits on a Lock, RLock or (Bounded)Semaphore in the timeline's window (see {@link WaitColumnsV1}).
   * Added after v1 shipped, like the other `lock…`/`otherWait…` figures: absent in older payloads
   * and when nothing waited.
   */
  lockWaits?: number;
  /** Their summed duration, ms. */
  lockWaitMs?: number;
  /** The longest one, ms. */
  longestLockWaitMs?: number;
  /** What the longest one waited for: `Lock#3`. */
  longestLockWaitOn?: string;
  /** Waits on a Condition, Event or Barrier (waiting for another thread, not for a lock to be free). */
  otherWaits?: number;
  /** Their summed duration, ms. */
  otherWaitMs?: number;
  /** Waits recorded by the threads but lost before they were read (the wait log overflowed). */
  lostWaits?: number;
}

/** What one worker lane is doing right now (live displays only). */
export interface LaneStateV1 {
  worker: number;
  threadId: number;
  state: "busy" | "idle";
  /** Items of the running batch, `[first, last)`. */
  items?: [number, number];
  /** How long the running batch has been running, ms. */
  forMs?: number;
}

/** Progress figures of a live display. */
export interface ProgressV1 {
  /** Items finished per second so far. */
  ratePerSec: number;
  /** Estimated time to finish, ms; `null` before the first item finished. */
  etaMs: number | null;
  elapsedMs: number;
  lanes: LaneStateV1[];
}

export interface TimelinePayloadV1 {
  version: 1;
  /** Wall-clock time (ms since the epoch) of time 0 of every span. */
  origin: number;
  /** Name of each call (usually the mapped function's name), indexed by the spans' call. */
  calls: string[];
  workers: number;
  /** `true` while the work is still going on (a live progress display). */
  live: boolean;
  /** Items done and total, for progress. */
  done: number;
  total: number;
  /** The spans; `spans.count` says how many. */
  spans: SpanColumnsV1;
  /** Spans left out to keep a live update small (the oldest finished ones); 0 in a final timeline. */
  omittedSpans: number;
  summary: TimelineSummaryV1;
  /** Present while `live`. */
  progress?: ProgressV1;
  /**
   * Slow-path waits (a thread that really had to sleep on a lock, condition, event or barrier),
   * drawn on their thread's lane. Added after v1 shipped: absent in older payloads and when nothing
   * waited, so readers default to none.
   */
  waits?: WaitColumnsV1;
  /** Queue depth tracks (`trackDepth(queue)`), drawn under the lanes. Added after v1 shipped, like `waits`. */
  tracks?: DepthTrackV1[];
  /**
   * What each worker lane stands for, by lane number: on a cluster pool (`backend`), the
   * `host:pid/threadId` of the `lanes worker` thread that ran the lane's spans. Added after v1
   * shipped, like `waits`: absent for local pools (whose lanes are their own threads) and in older
   * payloads; a lane without a label (or a missing array) reads `worker N` (see `workerLabel`).
   */
  laneLabels?: string[];
  /**
   * What the lanes and bars are. Absent (or `"pool"`): a pool's workers, each bar a batch of a
   * call's items. `"processes"` (`Process.timeline()`): one lane and one bar per Process, from
   * `start()` to its thread's exit; a bar's queue wait is the thread's start-up and `done`/`total`
   * count Processes that ended. Added after v1 shipped, like `waits`: readers default to `"pool"`.
   */
  kind?: TimelineKind;
}

/** What a timeline's lanes stand for: see {@link TimelinePayloadV1.kind}. */
export type TimelineKind = "pool" | "processes";

/** What a wait waited on (the class of the shared object). */
export type WaitKind = "Lock" | "RLock" | "Semaphore" | "BoundedSemaphore" | "Condition" | "Event" | "Barrier";

/** One-character code of each wait kind in {@link WaitColumnsV1.kind}. */
export const WAIT_KIND_CODES = { Lock: "l", RLock: "r", Semaphore: "s", BoundedSemaphore: "b", Condition: "c", Event: "e", Barrier: "a" } as const satisfies Record<WaitKind, string>;

/** Lane of the waits of the thread that built the timeline (the kernel) when it has no worker lane. */
export const KERNEL_LANE = -1;

/** One slow-path wait, decoded. Times are ms since the timeline's `origin`. */
export interface WaitV1 {
  /** Worker lane of the thread that waited, or {@link KERNEL_LANE}. */
  lane: number;
  kind: WaitKind;
  /** Per-kind number of the object waited on (`Lock#3` is kind Lock, object 3); 0 when unknown. */
  object: number;
  start: number;
  end: number;
}

/** Waits, column-wise: times in whole µs, starts delta-coded against the previous wait's start. */
export interface WaitColumnsV1 {
  count: number;
  lane: number[];
  start: number[];
  duration: number[];
  /** One {@link WAIT_KIND_CODES} character per wait. */
  kind: string;
  object: number[];
}

/**
 * A queue's depth (`qsize()`) over time, sampled by the kernel. Samples are `[time, depth]` steps:
 * the depth holds from one sample's time to the next. Times in whole µs since `origin`, delta-coded.
 */
export interface DepthTrackV1 {
  /** `tasks`, or `Queue#1` when the tracker was given no name. */
  name: string;
  /** The queue's maxsize (0: unbounded). */
  maxsize: number;
  /** Sampling interval, ms: changes shorter than this may not show. */
  everyMs: number;
  t: number[];
  depth: number[];
}

export type ColumnType = "number" | "string" | "boolean" | "date" | "other";

export interface ColumnSummaryV1 {
  nulls: number;
  /** Distinct non-null values; a lower bound when `distinctCapped`. */
  distinct?: number;
  /** Counting stopped at this many distinct values (memory stays bounded on huge tables). */
  distinctCapped?: boolean;
  /** Dates as ISO strings. */
  min?: number | string;
  max?: number | string;
  /** Histogram of numeric columns: bin edges (`counts.length + 1` of them) and counts. */
  histogram?: { edges: number[]; counts: number[] };
}

export interface TableColumnV1 {
  name: string;
  type: ColumnType;
  summary?: ColumnSummaryV1;
}

export type CellV1 = string | number | boolean | null;

export interface TablePayloadV1 {
  version: 1;
  columns: TableColumnV1[];
  /** The first rows, row-major; dates as ISO strings, long strings cut (ending in "…"), other values as text. */
  rows: CellV1[][];
  /** Row count of the whole table (may exceed `rows.length`: the payload is capped). */
  totalRows: number;
  /** The cap that applied to `rows` (the `rows` option of `show`). */
  rowLimit: number;
}
