/**
 * Which item each worker is running, in shared memory: what lets the kernel fail only the item a
 * crash or a timeout hit, and send the batch's other items again. Each worker thread has two words
 * (slot `threadId % PROGRESS_SLOTS`): the token of the batch it runs now, and 1 + the batch-local
 * index of the item it began last (0: no item runs — the batch began, or ran its last item and is
 * being answered). Thread ids are never reused, and two live threads 4096 ids apart are as unlikely
 * as in the retired table.
 *
 * The worker writes, the kernel only reads. A batch is marked begun by resetting the item word
 * before setting the token, so a kernel that reads the token, the item, then the token again (and
 * sees the same token) has an item of that batch. This file is loaded by the worker bundle too:
 * plain functions only.
 */

export const PROGRESS_SLOTS = 4096;

export function newProgressTable(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(PROGRESS_SLOTS * 2 * 4));
}

const base = (threadId: number): number => (threadId % PROGRESS_SLOTS) * 2;

/** Worker side: the batch with `token` begins on this thread. */
export function batchBegins(table: Int32Array, threadId: number, token: number): void {
  const at = base(threadId);
  Atomics.store(table, at + 1, 0);
  Atomics.store(table, at, token);
}

/** Worker side: item `i` (batch-local) of the running batch begins. */
export function itemBegins(table: Int32Array, threadId: number, i: number): void {
  Atomics.store(table, base(threadId) + 1, i + 1);
}

/**
 * Worker side: the running batch has run its last item and is being answered. No item is blamed for
 * the time that takes (packing results, a busy kernel reading them late) or for a death in it: the
 * whole batch is then sent again, as one that never began.
 */
export function batchAnswers(table: Int32Array, threadId: number): void {
  Atomics.store(table, base(threadId) + 1, 0);
}

/**
 * Kernel side: 1 + the batch-local index of the item of batch `token` that thread `threadId` began
 * last; 0 when that batch began but no item yet; -1 when the thread is not on that batch (it has not
 * begun it, or has moved on).
 */
export function itemRunning(table: Int32Array, threadId: number, token: number): number {
  const at = base(threadId);
  if (Atomics.load(table, at) !== token) return -1;
  const item = Atomics.load(table, at + 1);
  return Atomics.load(table, at) === token ? item : -1;
}
