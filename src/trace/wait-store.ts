/**
 * The waits this thread has read from the wait log (wait-log.ts), kept for timelines. The kernel
 * drains the log every `DRAIN_MS` (an unref'd timer: it never keeps the kernel alive) and before
 * every timeline, so the ring overflows only when threads wait faster than ~300 k times a second
 * for longer than a drain interval. Memory is bounded: past `MAX_WAITS` the oldest quarter is forgotten.
 */
import { isMainThread, threadId as ownThread } from "node:worker_threads";
import { KERNEL_LANE, type WaitV1 } from "../wire/mime";
import { now } from "./clock";
import { cursorAtStart, drain, type WaitRecord } from "./wait-log";

const DRAIN_MS = 100;
const MAX_WAITS = 200_000;

const kept: WaitRecord[] = [];
const cursor = cursorAtStart();
/** `[time of the drain, waits lost since the drain before]`, for drains that lost some. */
const losses: [number, number][] = [];

function add(record: WaitRecord): void {
  kept.push(record);
}

/** Reads what the threads wrote since the last drain. */
export function drainWaits(): void {
  const before = cursor.lost;
  drain(cursor, add);
  if (cursor.lost > before) {
    losses.push([now(), cursor.lost - before]);
    if (losses.length > 1000) losses.shift();
  }
  if (kept.length > MAX_WAITS) kept.splice(0, kept.length - Math.floor((MAX_WAITS * 3) / 4));
}

if (isMainThread) setInterval(drainWaits, DRAIN_MS).unref();

/** Waits of one timeline, and how many in the log were lost before they could be read. */
export interface SelectedWaits {
  waits: WaitV1[];
  lost: number;
}

/**
 * The waits overlapping `[from, to]` (ms since the epoch) by threads that have a lane: `laneOf`
 * maps a thread id to its worker lane; the waits of this thread (the kernel's, unless it has a
 * lane) go on `KERNEL_LANE`. Times come back relative to `origin`, sorted by start.
 */
export function selectWaits(from: number, to: number, origin: number, laneOf: ReadonlyMap<number, number>): SelectedWaits {
  drainWaits();
  const waits: WaitV1[] = [];
  for (const r of kept) {
    if (r.end < from || r.start > to) continue;
    const lane = laneOf.get(r.threadId) ?? (r.threadId === ownThread ? KERNEL_LANE : undefined);
    if (lane === undefined) continue;
    waits.push({ lane, kind: r.kind, object: r.object, start: r.start - origin, end: r.end - origin });
  }
  waits.sort((a, b) => a.start - b.start);
  // Losses are known per drain: count those noticed during the window (or one drain after it).
  let lost = 0;
  for (const [at, n] of losses) if (at >= from && at <= to + DRAIN_MS * 2) lost += n;
  return { waits, lost };
}
