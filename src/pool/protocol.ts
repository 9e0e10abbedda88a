/**
 * Every message that crosses between the kernel thread and a worker thread, in one place.
 * The worker entry (src/worker/entry.ts) and the pool engine both import these types.
 */
import type { ShippedFunction } from "../ship";
import type { PackedRows } from "./rows";
import type { ClassList } from "../ship/instance-codec";

/** A run of items, or of results, unpacked: read by index (`unpackItems` gives it). */
export type ItemList = readonly unknown[] | Float64Array;

/**
 * A run of items, or of results, packed to travel (`packItems` in ./items): numbers as a
 * `Float64Array`, same-shaped records and tuples as columns (`PackedRows`), anything else as a plain
 * array. Only packed rows need unpacking before they can be read by index.
 */
export type PackedItems = ItemList | PackedRows | PackedShared;

/**
 * A run holding Lanes shared objects (a `Value`, a `Lock`, a `Queue` …), each swapped for its marked
 * wire (src/shared/revive.ts): structured clone alone would deliver plain objects without their class.
 */
export interface PackedShared {
  /** The run; as columns (./rows) when it held instances only, all of one class and shape (wires are flat records). */
  readonly shared: readonly unknown[] | PackedRows;
  readonly length: number;
  /**
   * Present when the run holds class instances (src/ship/instance-codec.ts): each became a marked
   * wire, and these are the classes they name, with the payloads that rebuild them.
   */
  readonly classes?: ClassList | undefined;
  /** Set when no shared object was packed into `shared` (only instances were): the receiver skips that walk. */
  readonly noShared?: true | undefined;
  /** Set when every item is an instance of the class of this token, sent as columns of its fields. */
  readonly instancesOf?: string | undefined;
}

/** An error as it crosses a thread boundary; rebuilt as a `RemoteError` on the kernel side. */
export interface WireError {
  name: string;
  message: string;
  stack?: string | undefined;
  /** Own enumerable properties of the thrown error that structured clone carries (`code`, `errno`, `path` …). */
  props?: Record<string, unknown> | undefined;
  /** `error.cause`: an Error crosses as a WireError, any other cloneable value as it is. */
  cause?: { error: WireError } | { value: unknown } | undefined;
  /** An `AggregateError`'s `errors`. */
  errors?: WireError[] | undefined;
}

/** `workerData` of every worker thread of one pool. */
export interface WorkerSetup {
  initializer: ShippedFunction | null;
  initargs: readonly unknown[];
  /** Tasks (chunks) a worker runs before it retires; 0 means never. */
  maxTasksPerChild: number;
  /**
   * Shared table a retiring worker marks (slot `threadId % length` holds its `threadId`) before it
   * answers, so the kernel's load balancer stops sending it work in the same tick it learns of it.
   */
  retired: Int32Array;
  /** The claim table of ./claims: how a worker shares a message's items with idle workers. */
  claims: Uint32Array;
  /** The progress table of ./progress: which item each worker is running. */
  progress: Int32Array;
}

/** One message to a worker: consecutive chunks of one call, starting at a chunk boundary. */
export interface BatchRequest {
  fnId: string;
  /** Present only when the receiving worker has not cached `fnId` yet. */
  fn?: ShippedFunction;
  /** Call `fn(...item)` (starmap, apply) instead of `fn(item)`. */
  star: boolean;
  /** Input index of `items[0]`: a multiple of `chunksize`, except for the back part of a shared message. */
  start: number;
  items: PackedItems;
  chunksize: number;
  stopOnError: boolean;
  /** Slot of `claims` the worker claims its items through (./claims), or -1: run them all. */
  claim: number;
  /** Names this attempt of the batch in the progress table (./progress): never 0, new for every send. */
  token: number;
}

export interface ItemError {
  /** Input index of the item that failed. */
  index: number;
  error: WireError;
}

export type BatchResponse =
  | {
      kind: "done";
      threadId: number;
      /** Results of `items[0 .. ran)`; the entries of failed items are `undefined` (or NaN in a `Float64Array`). */
      results: PackedItems;
      /** Items run: fewer than sent when the worker retired mid-batch, stopped at an error, or the rest was shared out. */
      ran: number;
      errors: ItemError[];
      /** The worker reached `maxTasksPerChild` and takes no more work. */
      retired: boolean;
      /** Wall-clock times (ms since the epoch, sub-millisecond) of the first item's start and the last one's end. */
      started: number;
      finished: number;
    }
  /** The worker does not have `fnId`: send the batch again with `fn`. */
  | { kind: "miss"; threadId: number }
  /** The pool initializer threw in this worker. */
  | { kind: "init-error"; threadId: number; error: WireError }
  /** The shipped function could not be rebuilt in the worker. */
  | { kind: "load-error"; threadId: number; error: WireError };
