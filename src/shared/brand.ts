/**
 * Marks Lanes' shared objects. A `Symbol.for` brand, not `instanceof`: tslab's copy of Lanes and the
 * notebook's own copy are different classes, and the worker's bundle is a third.
 */
export const SHARED = Symbol.for("lanes.shared.kind");

export type SharedKind = "Lock" | "RLock" | "Semaphore" | "BoundedSemaphore" | "Event" | "Condition" | "Barrier" | "Value" | "Array" | QueueKind;

export type QueueKind = "Queue" | "JoinableQueue" | "SimpleQueue";

export interface Branded {
  readonly [SHARED]: SharedKind;
}

export function kindOf(v: unknown): SharedKind | undefined {
  return typeof v === "object" && v !== null ? (v as Partial<Branded>)[SHARED] : undefined;
}
