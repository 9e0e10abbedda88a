/**
 * Gives each worker thread its timeline lane: the row its spans are drawn on. A pool of n workers
 * has lanes 0..n-1; a worker that replaces a retired, crashed or killed one takes over a free lane,
 * so a timeline keeps n rows however often workers are recycled (each span still carries its
 * thread id).
 */
export class LaneAllocator {
  private readonly byThread = new Map<number, number>();

  /** `live` lists the pool's live worker threads; read only when a new thread shows up. */
  constructor(
    private readonly count: number,
    private readonly live: () => readonly { threadId: number }[],
  ) {}

  /** The lane of `threadId`, assigned on first sight. */
  laneOf(threadId: number): number {
    const known = this.byThread.get(threadId);
    if (known !== undefined) return known;
    if (this.byThread.size >= this.count) {
      const alive = new Set(this.live().map((w) => w.threadId));
      for (const id of [...this.byThread.keys()]) if (!alive.has(id)) this.byThread.delete(id);
    }
    const taken = new Set(this.byThread.values());
    let lane = 0;
    while (taken.has(lane)) lane++;
    this.byThread.set(threadId, lane);
    return lane;
  }
}
