/**
 * How queues cross into workers: as their one SharedArrayBuffer (shared by structured clone, never
 * copied) and their kind. Registered on the kernel side (src/shared/index.ts) and by the worker entry.
 */
import { registerTransferHandler, type TransferHandler } from "../ship/transfer-handlers";
import { JoinableQueue } from "./joinable-queue";
import { Queue } from "./queue";
import { queueKindOf, type QueueKind } from "./queue-brand";
import { SimpleQueue } from "./simple-queue";

export interface QueueWire {
  readonly k: QueueKind;
  readonly b: SharedArrayBuffer;
}

export function queueToWire(q: Queue): QueueWire {
  return { k: queueKindOf(q)!, b: q.ring.buffer };
}

export function queueFromWire(w: QueueWire): Queue {
  switch (w.k) {
    case "Queue":
      return new Queue(undefined, w.b);
    case "JoinableQueue":
      return new JoinableQueue(undefined, w.b);
    case "SimpleQueue":
      return new SimpleQueue(undefined, w.b);
  }
}

const handler: TransferHandler<Queue, QueueWire> = {
  canHandle: (v): v is Queue => queueKindOf(v) !== undefined,
  serialize: queueToWire,
  deserialize: queueFromWire,
};

export const QUEUE_HANDLER = "lanes:queues";

registerTransferHandler(QUEUE_HANDLER, handler);
