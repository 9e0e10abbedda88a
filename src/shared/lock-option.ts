import { NoLockError } from "../errors";
import { Lock } from "./lock";
import { RLock } from "./rlock";

/** The `lock` option of `Value` and `Array`. */
export interface SynchronizedOptions {
  /**
   * `true`: a new `RLock` guards it (Python's default); `false`: no lock (`getLock()` throws
   * `NoLockError`); a `Lock` or `RLock`: that one, so several objects can share one lock.
   * The lock is advisory, as in Python: `.value` and `arr[i]` never take it; wrap a read-modify-write
   * such as `v.value++` in `v.getLock().withLock(…)`.
   * @default true
   * @example const total = Value("d", 0, { lock: sharedLock });
   */
  lock?: boolean | Lock | RLock;
}

export function lockFrom(option: SynchronizedOptions["lock"], what: string): Lock | RLock | null {
  if (option === undefined || option === true) return new RLock();
  if (option === false) return null;
  if (option instanceof Lock || option instanceof RLock) return option;
  throw new TypeError(`${what}'s lock option must be true, false, a Lock or an RLock, got ${String(option)}`);
}

export function noLock(what: string): NoLockError {
  return new NoLockError(`this ${what} has no lock (it was made with { lock: false }, or as a Raw${what}): make it with a lock, or pass one: ${what}(…, { lock: new Lock() })`);
}
