import type { QueueKind } from "./brand";
import { Queue } from "./queue";

/**
 * An unbounded queue with Python's `multiprocessing.SimpleQueue` surface: `put`, `get`, `empty`,
 * `close`. It is a `Queue` without `maxsize` (so `put` never waits for room); everything `Queue` offers
 * works on it too.
 *
 * @example
 * const results = new mp.SimpleQueue<number>();
 */
export class SimpleQueue<T = unknown> extends Queue<T> {
  constructor(options?: { bytes?: number }, /** @internal */ shared?: SharedArrayBuffer) {
    super({ bytes: options?.bytes }, shared);
  }

  /** @internal */
  protected override get kind(): QueueKind {
    return "SimpleQueue";
  }
}
