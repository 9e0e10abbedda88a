/**
 * Whether this thread has made or received any Lanes shared object. Until it has, Pool items and
 * results cannot hold one, and the pool skips the walk that finds them (./revive): users who never
 * touch shared memory pay nothing for it. One flag per thread, on `globalThis`, because one thread can
 * hold several copies of Lanes (tslab's, the notebook's, the worker bundle).
 */
const KEY = Symbol.for("lanes.shared.inUse");
const holder = globalThis as { [KEY]?: boolean };

/** Called by every shared object's constructor. */
export function markSharedInUse(): void {
  holder[KEY] = true;
}

export function sharedInUse(): boolean {
  return holder[KEY] === true;
}
