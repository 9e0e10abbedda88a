/** What the timeline knows of one started Process (kept after the Process object is gone). */
export interface ProcessRecord {
  readonly name: string;
  threadId: number;
  /** When `start()` was called (ms since the epoch, see trace/clock). */
  readonly queued: number;
  /** When the target was called (or the thread came online, until it says so); NaN before. */
  started: number;
  /** When the thread exited; NaN while it runs. */
  finished: number;
  exitCode: number | null;
  /** `name` of the uncaught error, when there was one. */
  errorName: string | undefined;
}
