/** Process: one worker thread per target, like Python's `multiprocessing.Process` (re-exports only). */
export { Process, type ProcessTimelineSelection } from "./process";
export type { ProcessOptions } from "./options";
export { EXIT_INTERRUPTED, EXIT_KILLED, EXIT_TERMINATED } from "./exit-codes";
