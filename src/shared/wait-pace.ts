/**
 * How a worker waiting for an item on an empty queue paces itself (`Ring.waitSync`): spin a few checks,
 * or nap long and come back to a batch.
 *
 * A consumer faster than its producers catches up and then tails them item by item: each check of the
 * empty queue reads the producers' cache line just before their next put writes it, so both sides pay a
 * line transfer (about 150 ns here) per item. Its spins keep finding items (they come faster than it
 * can check twice), which is how it knows: after `STREAM_AFTER` spins in a row found one, it skips the
 * spin and naps `STREAM_NAP_MS` instead, then takes what came in one go. A nap that comes back to fewer
 * than `STREAM_MIN` items means the stream has thinned (or it was a request and its answer): short
 * naps again, so an item after a pause is not kept waiting long. One instance per queue per thread.
 */

/** Spins in a row that found an item before the waiter takes its items for a stream. */
export const STREAM_AFTER = 16;
/** A streaming waiter's nap: long enough for a batch of items, short beside any stream's length. */
export const STREAM_NAP_MS = 0.2;
/** A nap that comes back to fewer items than this ends streaming. */
export const STREAM_MIN = 8;

export class WaitPace {
  /** Waits in a row that ended in the spin. */
  private hits = 0;
  /** Items come faster than a spin: nap long, skip the spin. */
  streaming = false;

  /** A wait ended in the spin: an item came within a few checks. */
  spinHit(): void {
    if (++this.hits >= STREAM_AFTER) {
      this.hits = 0;
      this.streaming = true;
    }
  }

  /** A wait's spin found nothing. */
  spinMissed(): void {
    this.hits = 0;
  }

  /** A nap while streaming came back to `available` items. */
  napped(available: number): void {
    if (available < STREAM_MIN) this.streaming = false;
  }

  /** Every nap passed with nothing: the waiter goes to sleep until woken. */
  idle(): void {
    this.streaming = false;
    this.hits = 0;
  }
}
