/**
 * What the calling side (./remote-job.ts) and `lanes worker` (./worker.ts) exchange through Redis,
 * and the names of the keys they use. One BullMQ job carries one chunk; its result goes back
 * through the calling pool's result list (not BullMQ's events stream, which is trimmed and loses
 * completions: notes/distributed.md, trap 4), guarded by the call's key so nothing is left behind
 * once a call has ended.
 */
import type { ShippedFunction } from "../ship";
import type { ItemError, PackedItems, WireError } from "../pool/protocol";

/** Key in a timed-out item's `WireError.props` holding the limit: it marks the pool's own timeout, which the caller turns into a `TimeoutError`. */
export const LANES_TIMEOUT = "lanesTimeoutMs";

/** BullMQ queue every Lanes worker of a cluster reads, unless told another. */
export const DEFAULT_QUEUE = "lanes";

/** A chunk of one call, as a worker receives it (inside a signed envelope). */
export interface ChunkTask {
  /** The call's id (random hex): the call's key and the job ids derive from it. */
  readonly call: string;
  /** Chunk number within the call (its job id is `${call}-${chunk}`). */
  readonly chunk: number;
  /** Input index of the chunk's first item. */
  readonly start: number;
  readonly items: PackedItems;
  readonly fn: ShippedFunction;
  readonly star: boolean;
  readonly chunksize: number;
  readonly stopOnError: boolean;
  /** Milliseconds each item may run (the item then fails with a TimeoutError), or 0 for no limit. */
  readonly timeout: number;
  /** The calling pool's result list. */
  readonly reply: string;
}

/** What a worker answers for a chunk. */
export type ChunkResult =
  | {
      readonly kind: "done";
      readonly call: string;
      readonly chunk: number;
      readonly start: number;
      readonly results: PackedItems;
      readonly ran: number;
      readonly errors: ItemError[];
      /** `host:pid` of the worker process, and the thread id inside it. */
      readonly worker: string;
      readonly threadId: number;
      readonly started: number;
      readonly finished: number;
    }
  /** The shipped function could not be rebuilt on the worker (a module missing there …). */
  | { readonly kind: "load-error"; readonly call: string; readonly chunk: number; readonly worker: string; readonly error: WireError }
  /** The worker thread running the chunk died (process.exit in the task, out of memory …). */
  | { readonly kind: "crashed"; readonly call: string; readonly chunk: number; readonly worker: string; readonly message: string };

/** Key names, all under `lanes:<queue>:` so a cluster's keys are easy to find and never collide with BullMQ's. */
export const keys = {
  /** Exists while the call runs (the caller refreshes its expiry): workers skip and stop chunks of calls that are gone. */
  call: (queue: string, call: string): string => `lanes:${queue}:call:${call}`,
  /** A pool's result list. */
  results: (queue: string, pool: string): string => `lanes:${queue}:results:${pool}`,
  /** One per live worker process, expiring unless refreshed: how a caller counts the cluster's threads. */
  worker: (queue: string, id: string): string => `lanes:${queue}:worker:${id}`,
  workers: (queue: string): string => `lanes:${queue}:worker:*`,
};

/** BullMQ's own key of a job (its hash): the caller checks outstanding chunks through it. */
export function bullJobKey(queue: string, jobId: string): string {
  return `bull:${queue}:${jobId}`;
}

/** A call's job id for a chunk: no ":" (BullMQ refuses it), never an integer string. */
export function jobId(call: string, chunk: number): string {
  return `${call}-${chunk}`;
}

/**
 * Pushes a result only while its call's key exists, atomically: once the caller has deleted the
 * key (the call ended, was cancelled, or its caller is gone), a late or repeated chunk (delivery is
 * at least once) leaves nothing behind. KEYS[1] call key, KEYS[2] result list, ARGV[1] the result.
 */
export const PUSH_RESULT_SCRIPT = `
if redis.call('exists', KEYS[1]) == 1 then
  redis.call('rpush', KEYS[2], ARGV[1])
  return 1
end
return 0`;

/** Milliseconds a call's key lives unless its caller refreshes it (a caller that died lets its jobs drain). */
export const CALL_TTL_MS = 60_000;
/** Milliseconds a worker's registration lives unless refreshed. */
export const WORKER_TTL_MS = 15_000;
