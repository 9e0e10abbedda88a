/**
 * The wire format between the kernel helper (`lanes`) and the JupyterLab extension: MIME types and
 * payload shapes, defined once here and imported by both sides. This file must stay free of Node
 * imports: the extension bundles it for the browser.
 *
 * Payloads are versioned by MIME type (`…v1+json`); a breaking change means a new MIME type, so old
 * saved notebooks keep rendering.
 */

/** MIME type of a worker timeline payload ({@link TimelinePayloadV1}). */
export const TIMELINE_MIME = "application/vnd.lanes.timeline.v1+json";
/** MIME type of a table (dataframe) payload ({@link TablePayloadV1}). */
export const TABLE_MIME = "application/vnd.lanes.table.v1+json";

/** How a task ended. */
export type SpanOutcome = "ok" | "error" | "cancelled" | "running" | "queued";

/** One task (a chunk of items) as it ran on one worker. Times are milliseconds since the timeline's `origin`. */
export interface SpanV1 {
  /** Worker lane (0-based index of the worker in the pool). */
  worker: number;
  /** `threadId` of the worker thread that ran the task. */
  threadId: number;
  /** Which call of the pool this task belongs to (0-based, in call order). */
  call: number;
  queued: number;
  started: number;
  /** Absent while the task is still running. */
  finished?: number;
  /** Input index range `[first, last)` covered by the task. */
  items: [number, number];
  outcome: SpanOutcome;
  /** `name` of the error the task threw, when `outcome` is `"error"`. */
  error?: string;
}

/** Summary figures shown above a timeline. */
export interface TimelineSummaryV1 {
  wallMs: number;
  /** Busy fraction (0–1) per worker lane. */
  busy: number[];
  /** Sum of task durations divided by wall time. */
  parallelism: number;
  serialEstimateMs: number;
  speedup: number;
  queueWaitMs: number;
}

export interface TimelinePayloadV1 {
  version: 1;
  /** Name of each call (usually the mapped function's name), indexed by `SpanV1.call`. */
  calls: string[];
  workers: number;
  /** `true` while the work is still going on (a live progress display). */
  live: boolean;
  /** Items done and total, for progress. */
  done: number;
  total: number;
  spans: SpanV1[];
  summary: TimelineSummaryV1;
}

export type ColumnType = "number" | "string" | "boolean" | "date" | "other";

export interface ColumnSummaryV1 {
  nulls: number;
  distinct?: number;
  min?: number | string;
  max?: number | string;
  /** Histogram of numeric columns: bin edges (`bins.length + 1` of them) and counts. */
  histogram?: { edges: number[]; counts: number[] };
}

export interface TablePayloadV1 {
  version: 1;
  columns: { name: string; type: ColumnType; summary?: ColumnSummaryV1 }[];
  /** The first rows, row-major; cells are JSON values (dates as ISO strings). */
  rows: (string | number | boolean | null)[][];
  /** Row count of the whole table (may exceed `rows.length`: the payload is capped). */
  totalRows: number;
}
