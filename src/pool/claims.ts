/**
 * Work sharing inside a message. A worker does not simply run every item it was sent: it claims
 * them from the front, a few at a time, through one 32-bit word of a table shared by the kernel
 * thread and every worker (next item to claim in the high 16 bits, end of its share in the low
 * 16). When another worker runs out of work, the kernel takes the unclaimed back half of the share
 * (lowering the end) and sends it there. Both sides change the word only by compare-and-swap, so
 * no item runs twice and none is lost.
 *
 * This is what keeps a skewed map balanced: with CPython's default chunksize, the first chunk can
 * hold every slow item, and one worker would run them all while the others wait.
 */

/** Messages that can be shared at once (in flight, over every call of the pool). */
export const CLAIM_SLOTS = 4096;
/** Larger messages are never shared (their items are tiny: the word has 16 bits per index). */
export const MAX_SHARED_ITEMS = 0xffff;
/** The message is not shared: its worker runs all of it. */
export const NO_CLAIM = -1;

const word = (next: number, end: number): number => ((next << 16) | end) >>> 0;
const nextOf = (w: number): number => w >>> 16;
const endOf = (w: number): number => w & 0xffff;

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

/** Kernel side: hands out slots, steals back halves, and closes a slot when its message is answered. */
export class ClaimTable {
  readonly table = new Uint32Array(new SharedArrayBuffer(CLAIM_SLOTS * 4));
  private readonly free: number[] = Array.from({ length: CLAIM_SLOTS }, (_, i) => CLAIM_SLOTS - 1 - i);

  /** A slot for a message of `count` items, or `NO_CLAIM` when there is nothing to share (or no slot is free). */
  open(count: number): number {
    if (count < 1 || count > MAX_SHARED_ITEMS) return NO_CLAIM;
    const slot = this.free.pop();
    if (slot === undefined) return NO_CLAIM;
    Atomics.store(this.table, slot, word(0, count));
    return slot;
  }

  /** Items of the message nobody has claimed yet. */
  unclaimed(slot: number): number {
    if (slot === NO_CLAIM) return 0;
    const w = Atomics.load(this.table, slot);
    return Math.max(0, endOf(w) - nextOf(w));
  }

  /**
   * Takes part of what is unclaimed for another worker: `[from, to)` of the message, or undefined.
   * A message its worker is running gives the back half of its unclaimed items (the larger half,
   * so a last single item goes too: its owner is busy with another one). One its worker has not
   * begun gives all of it when it `waits` behind another message there (it may not start for
   * long), else the back half, keeping at least one item for the worker about to start it.
   */
  steal(slot: number, waits = false): [number, number] | undefined {
    if (slot === NO_CLAIM) return undefined;
    for (;;) {
      const w = Atomics.load(this.table, slot);
      const next = nextOf(w);
      const end = endOf(w);
      let mid: number;
      if (next > 0) mid = next + Math.floor((end - next) / 2);
      else if (waits) mid = 0;
      else mid = Math.ceil(end / 2);
      if (mid >= end) return undefined;
      if (Atomics.compareExchange(this.table, slot, w, word(next, mid)) === w) return [mid, end];
    }
  }

  /**
   * The message was answered (or its worker died): no more claims or steals. Returns the end of
   * its share as it was then — items from there on were stolen and sent elsewhere.
   */
  close(slot: number, count: number): number {
    if (slot === NO_CLAIM) return count;
    for (;;) {
      const w = Atomics.load(this.table, slot);
      const end = endOf(w);
      if (Atomics.compareExchange(this.table, slot, w, word(end, end)) === w) {
        this.free.push(slot);
        return end;
      }
    }
  }
}
