import { TaskDoneError } from "../errors";
import type { QueueKind } from "./brand";
import { Queue, type QueueWaitOptions } from "./queue";
import { deadlineOf, refuseOnKernel, remaining } from "./wait";

/**
 * A `Queue` that counts unfinished items, like Python's `multiprocessing.JoinableQueue`: every `put`
 * adds one, every `taskDone()` (called by a consumer when it has finished with an item it got) takes
 * one away, and `join()` waits until the count is zero — until every item put has been processed.
 *
 * @example
 * const q = new mp.JoinableQueue<string>();
 * for (const url of urls) q.putNowait(url);
 * void pool.map(() => { for (;;) { const url = q.getSync(); fetchIt(url); q.taskDone(); } }, [1, 2]);
 * await q.join(); // every url was fetched
 */
export class JoinableQueue<T = unknown> extends Queue<T> {
  /** @internal */
  protected override get kind(): QueueKind {
    return "JoinableQueue";
  }

  /**
   * Marks one item got from the queue as processed.
   * @throws TaskDoneError when called more times than items were put (Python raises ValueError)
   */
  taskDone(): void {
    const ok = this.ring.taskDone();
    if (!ok) throw new TaskDoneError("taskDone() called more times than items were put: call it once per item a consumer got and finished");
  }

  /** Items put and not yet marked done. */
  unfinished(): number {
    return this.ring.unfinished();
  }

  /**
   * Waits until every item put has been marked done (at most `timeout` ms: then it returns `false`).
   * Safe on the kernel thread.
   */
  async join(options?: QueueWaitOptions): Promise<boolean> {
    const deadline = deadlineOf(options?.timeout);
    for (;;) {
      const wait = this.ring.joinWait();
      if (wait === undefined) return true;
      if (remaining(deadline) === 0) return false;
      await this.ring.waitAsync(wait, deadline);
    }
  }

  /** `join`, blocking: for workers. */
  joinSync(options?: QueueWaitOptions): boolean {
    const deadline = deadlineOf(options?.timeout);
    for (;;) {
      const wait = this.ring.joinWait();
      if (wait === undefined) return true;
      if (remaining(deadline) === 0) return false;
      refuseOnKernel("JoinableQueue.joinSync()", "await queue.join()");
      this.ring.waitSync(wait, deadline);
    }
  }
}
