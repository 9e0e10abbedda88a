/**
 * The wait log: one SharedArrayBuffer ring that every thread appends its slow-path waits to (a Lock,
 * RLock or Semaphore that was held, a Condition, Event or Barrier wait), and the thread drawing
 * timelines (the kernel) reads. It reaches every worker through `setEnvironmentData`, which Node
 * clones into each Worker started afterwards (Pool workers, Processes, their own workers), so no
 * message protocol learns about it.
 *
 * Why a ring in shared memory rather than a message per wait: a wait is recorded from inside
 * `Atomics.wait` loops, where there is no event loop to post from, and a contended lock can wait
 * hundreds of thousands of times a second. A record is a slot claim (one `Atomics.add`), six stores
 * and a commit store: about as much as the two clock reads around the wait. The uncontended path
 * records nothing and reads no clock.
 *
 * Writers never wait for the reader: past `CAPACITY` unread records the oldest are overwritten and
 * counted as lost (the kernel drains the ring every `DRAIN_MS` while it is idle, and whenever a
 * timeline is built).
 */
import { getEnvironmentData, setEnvironmentData, threadId } from "node:worker_threads";
import type { WaitKind } from "../wire/mime";
import { now } from "./clock";

/** What waited, in the order of their codes in the log. */
export const WAIT_KINDS: readonly WaitKind[] = ["Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition", "Event", "Barrier"];

const KEY = "lanes:wait-log";
/** Slots in the ring (a power of two). 32 bytes each: 1 MB. */
export const CAPACITY = 1 << 15;
// Header, in Int32 words: the claim cursor, then one id counter per kind.
const CURSOR = 0;
const COUNTERS = 1;
const HEADER = 16;
// A slot, in Int32 words: start and end (two Float64s), thread, kind, object id, commit.
const SLOT = 8;
const THREAD = 4;
const KIND = 5;
const OBJECT = 6;
const COMMIT = 7;

interface Log {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
}

function create(): Log {
  const sab = new SharedArrayBuffer((HEADER + CAPACITY * SLOT) * 4);
  // Every Worker started from now on (and every Worker those start) gets the same ring.
  setEnvironmentData(KEY, sab);
  return { i32: new Int32Array(sab), f64: new Float64Array(sab) };
}

function open(): Log {
  const inherited = getEnvironmentData(KEY);
  if (inherited instanceof SharedArrayBuffer) return { i32: new Int32Array(inherited), f64: new Float64Array(inherited) };
  // No thread above started this one with a ring (the kernel, or a thread started before Lanes
  // loaded): this thread owns one, and the threads it starts share it.
  return create();
}

const log: Log = open();

/** The next id of an object of `kind` (1, 2, 3 … per kind, across every thread sharing the log): `Lock#3`. */
export function nextObjectId(kind: WaitKind): number {
  return Atomics.add(log.i32, COUNTERS + WAIT_KINDS.indexOf(kind), 1) + 1;
}

/**
 * Appends one wait: `kind` object `id` was waited on by this thread from `start` to now (ms since the
 * epoch, see clock.ts). Called only after a wait really happened.
 */
export function recordWait(kind: WaitKind, id: number, start: number): void {
  const end = now();
  const { i32, f64 } = log;
  const n = Atomics.add(i32, CURSOR, 1);
  const slot = HEADER + (n & (CAPACITY - 1)) * SLOT;
  // Uncommitted while being written: a reader skips it rather than read half a record.
  Atomics.store(i32, slot + COMMIT, 0);
  f64[slot >> 1] = start;
  f64[(slot >> 1) + 1] = end;
  i32[slot + THREAD] = threadId;
  i32[slot + KIND] = WAIT_KINDS.indexOf(kind);
  i32[slot + OBJECT] = id;
  Atomics.store(i32, slot + COMMIT, (n + 1) | 0);
}

/** One wait read back from the log. */
export interface WaitRecord {
  start: number;
  end: number;
  threadId: number;
  kind: WaitKind;
  object: number;
}

/** Where a reader is: the next record to read, and how many were lost so far. */
export interface LogCursor {
  next: number;
  lost: number;
}

/** A reader starting at the current end of the log (what was written before it is not read). */
export function cursorAtEnd(): LogCursor {
  return { next: Atomics.load(log.i32, CURSOR), lost: 0 };
}

/** A reader starting at the oldest record still in the log. */
export function cursorAtStart(): LogCursor {
  const end = Atomics.load(log.i32, CURSOR);
  return { next: Math.max(0, end - CAPACITY), lost: 0 };
}

/** Reads every committed record after `cursor` (advancing it) into `out`. */
export function drain(cursor: LogCursor, out: (record: WaitRecord) => void): void {
  const { i32, f64 } = log;
  const end = Atomics.load(i32, CURSOR);
  if (end - cursor.next > CAPACITY) {
    cursor.lost += end - CAPACITY - cursor.next;
    cursor.next = end - CAPACITY;
  }
  for (let n = cursor.next; n < end; n++) {
    const slot = HEADER + (n & (CAPACITY - 1)) * SLOT;
    // A seqlock read: committed before and after, or it was being (over)written meanwhile.
    if (Atomics.load(i32, slot + COMMIT) !== ((n + 1) | 0)) {
      cursor.lost++;
      continue;
    }
    const record: WaitRecord = {
      start: f64[slot >> 1]!,
      end: f64[(slot >> 1) + 1]!,
      threadId: i32[slot + THREAD]!,
      kind: WAIT_KINDS[i32[slot + KIND]!] ?? "Lock",
      object: i32[slot + OBJECT]!,
    };
    if (Atomics.load(i32, slot + COMMIT) !== ((n + 1) | 0)) {
      cursor.lost++;
      continue;
    }
    out(record);
  }
  cursor.next = end;
}
