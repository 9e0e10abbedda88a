/**
 * Short naps that last what they ask for. Linux lets a sleeping thread's timer expire up to its
 * "timer slack" late (50 µs by default) so that wake-ups can be grouped; a queue waiter's 20 µs nap
 * (./ring `WAIT_NAP_MS`) then lasted 70–80 µs, and an item put during it waited that long to be
 * seen: a request and its answer between two workers took ~110 µs, MessagePort ~35 µs.
 *
 * A thread may set its own slack by writing /proc/<tid>/timerslack_ns (Linux ≥ 4.6, no privilege
 * needed for the calling thread; prctl's PR_SET_TIMERSLACK does the same, but Node has no prctl).
 * Done once per worker thread, the first time it naps; never on the kernel thread, which never naps
 * (its waits are awaited) and whose timers are the notebook's. Anywhere the file is missing or refuses (other systems, a locked-down /proc),
 * naps stay as long as the system makes them: slower, never wrong.
 */
import { readlinkSync, writeFileSync } from "node:fs";
import { onKernelThread } from "./wait";

/** The slack asked for, in nanoseconds: a 20 µs nap measured 27 µs with it, 77 µs with Linux's default. */
export const NAP_SLACK_NS = 1000;

/** Whether this thread's slack was set: undefined until its first nap asks. */
let applied: boolean | undefined;

/** Sets this thread's timer slack to `NAP_SLACK_NS` once; true when the system took it. */
export function preciseNaps(): boolean {
  if (applied !== undefined) return applied;
  applied = false;
  if (onKernelThread || process.platform !== "linux") return false;
  try {
    // /proc/thread-self links to /proc/<pid>/task/<tid>; the slack file is at /proc/<tid> only.
    const tid = readlinkSync("/proc/thread-self").split("/").pop() ?? "";
    writeFileSync(`/proc/${tid}/timerslack_ns`, String(NAP_SLACK_NS));
    applied = true;
  } catch {
    // Missing or refused: naps stay as long as the system makes them.
  }
  return applied;
}
