/**
 * The words of a timeline's summary, shared by the text and HTML fallbacks and the JupyterLab
 * extension, so one timeline reads the same in a terminal, on GitHub and in JupyterLab: each
 * figure's label and value are made here once. The extension bundles this file.
 */
import { formatCount, formatDone, formatMs, formatPercent } from "./format";
import type { DepthTrackV1, TimelinePayloadV1, WaitKind } from "./mime";
import { isLockKind } from "./wait-codec";

/** What a timeline is called where there is nothing better (no call names). */
export const TIMELINE_NAME = "Lanes timeline";

/**
 * What a bar (a span) of a timeline is. Not a task in Python's sense (a chunk): chunks travel many
 * to a message when they are small, and a message's items are shared out between workers when they
 * are slow, so a bar is the part of a message one worker ran. One span per chunk would cost the
 * worker a clock read and the kernel a span per chunk, on the path that runs tiny items.
 */
export const BAR_MEANING =
  "Each bar is a batch: consecutive items of one call that one worker ran back to back from one message (small chunks travel many to a message; a slow message is shared out between workers).";

/** What a bar of a Process timeline is (see `BAR_MEANING` for a pool's). */
export const PROCESS_BAR_MEANING =
  "Each bar is a Process, from its target's start to its thread's exit; red: it failed (its exit code is in the tooltip).";

/** The caption of a timeline's bars: `BAR_MEANING`, or `PROCESS_BAR_MEANING` for Processes. */
export function barMeaning(p: Pick<TimelinePayloadV1, "kind">): string {
  return isProcessTimeline(p) ? PROCESS_BAR_MEANING : BAR_MEANING;
}

/** `1 batch`, `21 batches`: a number of bars (spans). */
export function batchCount(count: number): string {
  return `${formatCount(count)} ${count === 1 ? "batch" : "batches"}`;
}

/** `1 process`, `4 processes`. */
export function processCount(count: number): string {
  return `${formatCount(count)} ${count === 1 ? "process" : "processes"}`;
}

/** Whether a payload's lanes are Processes (`Process.timeline()`) rather than a pool's workers. */
export function isProcessTimeline(p: Pick<TimelinePayloadV1, "kind">): boolean {
  return p.kind === "processes";
}

/**
 * What a timeline's bars are, counted, for its title: `21 batches on 2 workers` for a pool (without
 * the workers when `withLanes` is false: a drawing shows them), `3 processes` for Processes, each
 * of which is a lane and a bar.
 */
export function barsText(p: Pick<TimelinePayloadV1, "kind" | "workers">, bars: number, withLanes = true): string {
  if (isProcessTimeline(p)) return processCount(bars);
  return withLanes ? `${batchCount(bars)} on ${formatCount(p.workers)} ${p.workers === 1 ? "worker" : "workers"}` : batchCount(bars);
}

/** The time axis's title: what time 0 is (the first batch queued, or the first Process started). */
export function timeAxisTitle(p: Pick<TimelinePayloadV1, "kind">): string {
  return isProcessTimeline(p) ? "ms since the first Process was started" : "ms since the first batch was queued";
}

/** `2/3 items`, or `2/3 finished` for Processes (`done` counts those whose target returned or threw; one ended from outside did not finish). */
export function doneText(p: Pick<TimelinePayloadV1, "kind" | "done" | "total">): string {
  return isProcessTimeline(p) ? `${formatCount(p.done)}/${formatCount(p.total)} finished` : formatDone(p.done, p.total);
}

/** The label of each summary figure. */
export const SUMMARY_LABELS = {
  wall: "wall",
  parallelism: "parallelism",
  speedup: "speedup",
  serialEstimate: "serial estimate",
  queueWait: "queue wait per batch",
  busy: "busy",
  failedBatches: "batches with errors",
  startUp: "start-up per process",
  failedProcesses: "processes failed",
  lockWaits: "lock waits",
  otherWaits: "condition/event/barrier waits",
  lostWaits: "waits not recorded",
} as const;

/** Legend entries of the two kinds of waits. */
export const LOCK_WAIT_LABEL = "waiting for a lock";
export const OTHER_WAIT_LABEL = "waiting on a condition, event or barrier";

/** What the wait marks are. */
export const WAIT_MEANING =
  "Orange marks: a thread slept on a Lock, RLock or Semaphore (dark) or on a Condition, Event or Barrier (light); only waits that had to sleep are recorded.";

/** The legend label of a wait's kind. */
export function waitLegendLabel(kind: WaitKind): string {
  return isLockKind(kind) ? LOCK_WAIT_LABEL : OTHER_WAIT_LABEL;
}

/** The name of the lane of the kernel thread's own waits. */
export const KERNEL_LANE_LABEL = "kernel";

/** `tasks depth (max 10)`: the label of a depth track. */
export function trackLabel(track: Pick<DepthTrackV1, "name" | "maxsize">): string {
  return `${track.name} depth${track.maxsize > 0 ? ` (maxsize ${formatCount(track.maxsize)})` : ""}`;
}

/** One summary figure: its label and its formatted value (`wall` and `1.25 s`). */
export interface SummaryFigure {
  readonly label: string;
  readonly value: string;
}

/**
 * The summary figures every rendering shows, in order. Queue wait is the mean per batch: the summed
 * wait of overlapping batches can exceed the wall time and reads like an error next to it. Queue
 * wait is left out when there are no batches, batches with errors when none failed. Busy shares are
 * per worker: see `workerLabel` and `busyShare`.
 */
export function summaryFigures(p: TimelinePayloadV1): SummaryFigure[] {
  const s = p.summary;
  const batches = p.spans.count + p.omittedSpans;
  const figures: SummaryFigure[] = [
    { label: SUMMARY_LABELS.wall, value: formatMs(s.wallMs) },
    { label: SUMMARY_LABELS.parallelism, value: `${s.parallelism.toFixed(2)}×` },
    { label: SUMMARY_LABELS.speedup, value: `${s.speedup.toFixed(2)}×` },
    { label: SUMMARY_LABELS.serialEstimate, value: formatMs(s.serialEstimateMs) },
  ];
  // A Process's "queue wait" is its thread's start-up: start() until the target was called.
  const processes = isProcessTimeline(p);
  if (batches > 0) figures.push({ label: processes ? SUMMARY_LABELS.startUp : SUMMARY_LABELS.queueWait, value: formatMs(s.queueWaitMs / batches) });
  if (s.errors > 0) figures.push({ label: processes ? SUMMARY_LABELS.failedProcesses : SUMMARY_LABELS.failedBatches, value: formatCount(s.errors) });
  // Wait figures were added after v1 shipped: absent in older payloads, and when nothing waited.
  if ((s.lockWaits ?? 0) > 0) {
    const on = s.longestLockWaitOn ? ` on ${s.longestLockWaitOn}` : "";
    figures.push({ label: SUMMARY_LABELS.lockWaits, value: `${formatMs(s.lockWaitMs ?? 0)} total, longest ${formatMs(s.longestLockWaitMs ?? 0)}${on} (${waitCount(s.lockWaits ?? 0)})` });
  }
  if ((s.otherWaits ?? 0) > 0) figures.push({ label: SUMMARY_LABELS.otherWaits, value: `${formatMs(s.otherWaitMs ?? 0)} total (${waitCount(s.otherWaits ?? 0)})` });
  if ((s.lostWaits ?? 0) > 0) figures.push({ label: SUMMARY_LABELS.lostWaits, value: `${formatCount(s.lostWaits ?? 0)} (the wait log overflowed)` });
  return figures;
}

/** `1 wait`, `12 waits`. */
export function waitCount(n: number): string {
  return `${formatCount(n)} ${n === 1 ? "wait" : "waits"}`;
}

/** `wall 1.25 s`: a figure inline, in a line of text. */
export function figureText(figure: SummaryFigure): string {
  return `${figure.label} ${figure.value}`;
}

/**
 * The name of a worker lane: `worker 3`, or the lane's label when the payload has one (a cluster
 * pool's `host:pid/threadId`). Payloads come from saved notebooks too: a label that is not a
 * non-empty string falls back to `worker N`.
 */
export function workerLabel(worker: number, laneLabels?: readonly string[]): string {
  const label: unknown = laneLabels?.[worker];
  return typeof label === "string" && label.length > 0 ? label : `worker ${worker}`;
}

/**
 * `label` cut to at most `max` characters by an ellipsis in the middle: a lane label's end (the
 * pid and thread of `host:pid/threadId`) tells lanes apart, its start (the host) says where.
 */
export function shortLabel(label: string, max: number): string {
  if (label.length <= max) return label;
  if (max <= 1) return "…".slice(0, max);
  const tail = Math.ceil((max - 1) / 2);
  return `${label.slice(0, max - 1 - tail)}…${label.slice(label.length - tail)}`;
}

/** `93% busy`: a worker's busy share of the wall time. */
export function busyShare(fraction: number): string {
  return `${formatPercent(fraction)} ${SUMMARY_LABELS.busy}`;
}

/** Call names listed in a title before "and N more calls". */
export const CALLS_LISTED = 3;

/** Longest call name listed in a title: names are user strings of any length. */
const LONGEST_NAME = 40;

/** A call name as listed in a title, cut to `LONGEST_NAME` characters with "…". */
export function shortCallName(name: string): string {
  return name.length > LONGEST_NAME ? `${name.slice(0, LONGEST_NAME - 1)}…` : name;
}

/** `and 2 more calls`: what a list of calls leaves out. */
export function moreCalls(count: number, noun: "call" | "process" = "call"): string {
  const plural = noun === "process" ? "processes" : "calls";
  return `and ${formatCount(count)} more ${count === 1 ? noun : plural}`;
}

/** `square, cube, inc and 2 more calls`; `""` for no calls. */
export function callList(calls: readonly string[], listed: number = CALLS_LISTED, noun: "call" | "process" = "call"): string {
  const names = calls.slice(0, listed).map(shortCallName).join(", ");
  return calls.length > listed ? `${names} ${moreCalls(calls.length - listed, noun)}` : names;
}

/** The title's list of what ran: a pool's calls, or a Process timeline's Processes (each its own call). */
export function titleCalls(p: Pick<TimelinePayloadV1, "calls" | "kind">): string {
  return callList(p.calls, CALLS_LISTED, isProcessTimeline(p) ? "process" : "call");
}
