/**
 * The Processes of this thread: a counter for their default names, the live ones (Python's
 * `active_children()`), and the records timelines are drawn from. Records are bounded, so a kernel
 * that starts Processes all day keeps only the most recent ones.
 */
import type { ProcessRecord } from "./record";

/** Records kept; past it the oldest quarter is forgotten. */
export const MAX_RECORDS = 1000;

let created = 0;
const live = new Set<object>();
const kept: ProcessRecord[] = [];

/** `Process-N`, N counting from 1, like Python. */
export function nextName(): string {
  created++;
  return `Process-${created}`;
}

/** A Process started: it is live, and its record is kept for timelines. */
export function started(process: object, record: ProcessRecord): void {
  live.add(process);
  if (kept.length >= MAX_RECORDS) kept.splice(0, kept.length - Math.floor((MAX_RECORDS * 3) / 4));
  kept.push(record);
}

/** A Process's thread exited. */
export function exited(process: object): void {
  live.delete(process);
}

/** The live Processes, oldest first. */
export function liveProcesses<P extends object>(): P[] {
  return [...live] as P[];
}

/** The kept records, in start order. */
export function records(): readonly ProcessRecord[] {
  return kept;
}
