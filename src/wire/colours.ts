/**
 * Bar colours of a timeline, shared by the static SVG fallback and the JupyterLab extension so a
 * timeline looks the same on GitHub and in JupyterLab. The extension bundles this file.
 */

/** One colour per call (cycled); failures and cancellations have their own. */
const PALETTE = ["#4c78a8", "#72b7b2", "#54a24b", "#b279a2", "#9d755d", "#eeca3b"];
export const ERROR_COLOUR = "#e45756";
export const CANCELLED_COLOUR = "#bab0ac";

/** The colour of call `call`'s bars (a stray negative index from a hand-edited payload still gets one). */
export function callColour(call: number): string {
  return PALETTE[((call % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}

/** Slow-path waits on a Lock, RLock or Semaphore: a colour no call gets. */
export const LOCK_WAIT_COLOUR = "#f58518";
/** Waits on a Condition, Event or Barrier (waiting for another thread on purpose). */
export const OTHER_WAIT_COLOUR = "#ffbf79";
/** The line of a queue depth track. */
export const DEPTH_COLOUR = "#7b4fa6";
