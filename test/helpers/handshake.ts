/**
 * Atomics handshakes between a test and the tasks it runs in worker threads. A task says where it
 * got to (a word of shared memory) and waits to be let on; the test waits for that word without
 * blocking its own thread. Never a sleep: a busy machine makes a test slower, never wrong.
 *
 * Tasks run in workers, so they cannot call the functions of this file (only `blockUntilReleased`
 * is itself a task): they use `Atomics.store` + `Atomics.notify` and `Atomics.wait` on the words
 * they are given, by the conventions below.
 */

/** Shared words, all 0. By convention word 0 says "started" and word 1 "released". */
export function newFlag(words = 2): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * words));
}

/** A task: reports it started (flag[0] = 1), then blocks its worker until flag[1] is set. */
export function blockUntilReleased(flag: Int32Array): string {
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  Atomics.wait(flag, 1, 0);
  return "released";
}

// Atomics.waitAsync is in Node 20, not yet in this project's TypeScript lib.
const atomics = Atomics as unknown as {
  waitAsync(a: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
};

/** Resolves once flag[index] is at least `atLeast`, without blocking the test's thread. */
export async function reached(flag: Int32Array, index = 0, atLeast = 1): Promise<void> {
  for (;;) {
    const now = Atomics.load(flag, index);
    if (now >= atLeast) return;
    const { async, value } = atomics.waitAsync(flag, index, now);
    if (async) await value;
  }
}

/** Resolves once a `blockUntilReleased` task (or one following its convention) has started. */
export function started(flag: Int32Array): Promise<void> {
  return reached(flag, 0);
}

/** Sets flag[index] to 1 and wakes every thread waiting on it. */
export function release(flag: Int32Array, index = 1): void {
  Atomics.store(flag, index, 1);
  Atomics.notify(flag, index);
}

/** An item of `firstHeldBack`: its index, and the words of the handshake (`heldBack`). */
export interface Held {
  i: number;
  flag: Int32Array;
}

/** `n` items for `firstHeldBack`, sharing one three-word flag. */
export function heldBack(n: number): { items: Held[]; flag: Int32Array } {
  const flag = newFlag(3);
  return { items: Array.from({ length: n }, (_, i) => ({ i, flag })), flag };
}

/**
 * A task for ordering tests: item 0 blocks its worker until the test releases it (flag[1]); every
 * other item counts itself done in flag[2]. So the later items finish first, by construction: the
 * test waits with `reached(flag, 2, n - 1)`, then calls `release(flag)`.
 */
export function firstHeldBack(item: Held): number {
  if (item.i === 0) Atomics.wait(item.flag, 1, 0);
  else {
    Atomics.add(item.flag, 2, 1);
    Atomics.notify(item.flag, 2);
  }
  return item.i;
}
