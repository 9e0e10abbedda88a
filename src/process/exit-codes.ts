/**
 * Exit codes a Process reports when it did not end by itself. Python reports a process ended by a
 * signal as minus the signal's number; a Lanes Process is a thread, which no signal can end, but it
 * keeps Python's numbers so that `exitCode < 0` still means "ended from outside" and code written
 * against Python's `exitcode` reads the same.
 */

/** `terminate()`, or the kernel shutting down (SIGTERM): -15, like Python's `-signal.SIGTERM`. */
export const EXIT_TERMINATED = -15;

/** `kill()`: -9, like Python's `-signal.SIGKILL`. */
export const EXIT_KILLED = -9;

/** A Jupyter interrupt (SIGINT) while the Process ran: -2, like `-signal.SIGINT`. */
export const EXIT_INTERRUPTED = -2;
