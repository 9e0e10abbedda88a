/**
 * Marks Lanes' queues, like ./brand marks the other shared objects: a `Symbol.for` brand, because
 * tslab's copy of Lanes, the notebook's own copy and the worker bundle have different classes.
 */
export const QUEUE = Symbol.for("lanes.shared.queue");

export type QueueKind = "Queue" | "JoinableQueue" | "SimpleQueue";

export function queueKindOf(v: unknown): QueueKind | undefined {
  return typeof v === "object" && v !== null ? (v as { [QUEUE]?: QueueKind })[QUEUE] : undefined;
}
