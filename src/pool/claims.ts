/**
 * Work sharing inside a message. A worker does not simply run every item it was sent: it claims
 * them from the front, a few at a time, through one 32-bit word of a table shared by the kernel
 * thread and every worker (next item to claim in the high 16 bits, end of its share in the low
 * 16). When another worker runs out of work, the kernel shares out the unclaimed back half of the
 * worker's part (lowering the end) and sends it there. Both sides change the word only by compare-and-swap, so
 * no item runs twice and none is lost.
 *
 * This is what keeps a skewed map balanced: with CPython's default chunksize, the first chunk can
 * hold every slow item, and one worker would run them all while the others wait.
 *
 * This file is the word and the worker's side; the kernel's side is ./claim-table (kept apart: the
 * worker bundle loads this file, and a class with field initializers there cost each new worker
 * about 1.7 ms of start-up here).
 */

/** Messages that can be shared at once (in flight, over every call of the pool). */
export const CLAIM_SLOTS = 4096;
/** Larger messages are never shared (their items are tiny: the word has 16 bits per index). */
export const MAX_SHARED_ITEMS = 0xffff;
/** The message is not shared: its worker runs all of it. */
export const NO_CLAIM = -1;

/** The claim word of a message: next item to claim (high 16 bits), end of the worker's share (low 16). */
export const word = (next: number, end: number): number => ((next << 16) | end) >>> 0;
export const nextOf = (w: number): number => w >>> 16;
export const endOf = (w: number): number => w & 0xffff;

/**
 * Worker side: claims up to `want` more items of the message in `slot`, from the front.
 * Returns the end of what this worker may run now (equal to the start when nothing is left).
 */
export function claim(table: Uint32Array, slot: number, want: number): number {
  for (;;) {
    const w = Atomics.load(table, slot);
    const next = nextOf(w);
    const end = endOf(w);
    if (next >= end) return next;
    const to = Math.min(end, next + want);
    if (Atomics.compareExchange(table, slot, w, word(to, end)) === w) return to;
  }
}
