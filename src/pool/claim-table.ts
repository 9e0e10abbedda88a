/**
 * The kernel's side of work sharing (./claims): hands out claim slots, shares out back halves of
 * unclaimed items to idle workers, and closes a slot when its message is answered.
 */
import { CLAIM_SLOTS, MAX_SHARED_ITEMS, NO_CLAIM, endOf, nextOf, word } from "./claims";

/** Claim slots of one pool, shared with its workers through `table`. */
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
   * Shares out part of what is unclaimed to another worker: `[from, to)` of the message, or undefined.
   * A message its worker is running gives the back half of its unclaimed items (the larger half,
   * so a last single item goes too: its owner is busy with another one). One its worker has not
   * begun gives all of it when it `waits` behind another message there (it may not start for
   * long), else the back half, keeping at least one item for the worker about to start it.
   */
  share(slot: number, waits = false): [number, number] | undefined {
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
   * The message was answered (or its worker died): no more claims, nothing more shared out. Returns
   * the end of its worker's part as it was then — items from there on were shared out elsewhere.
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
