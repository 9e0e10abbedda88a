/**
 * Shared objects (Value, Array, Lock, Queue …) inside queue items. Their memory is SharedArrayBuffers,
 * which bytes in a ring cannot carry: only a message between threads can. So an item holding shared
 * objects travels in two parts: its data, with each shared object swapped for a marked wire
 * (./revive's packShared) whose buffers are numbered, goes into the ring as usual; the buffers go, just
 * before the put commits, on one BroadcastChannel every Lanes thread holding a queue listens on,
 * keyed by queue id and the item's position in the queue. The consumer that takes the item finds its
 * buffers in its channel (a broadcast is delivered to every listening thread before `postMessage`
 * returns, so they are there by the time the item can be taken) and rebuilds the same shared objects.
 *
 * A thread that gets the queue after such an item was put (a worker started later) was not listening
 * when it was broadcast: the queue's wire carries the buffers of the items its sender knows are
 * still queued (`pendingFor`), and a worker that still misses them (it was starting while the item was
 * put) asks on the channel; every thread that has them answers from its event loop. When none answers
 * within 10 s (every holder busy, or gone), `get` fails with `SharedItemLostError`, never with a
 * half-revived item. The consumer that took an item tells the others to forget its buffers.
 */
import { BroadcastChannel, isMainThread, receiveMessageOnPort } from "node:worker_threads";
import { lazyV8 } from "./lazy-v8";
import { SharedItemLostError } from "../errors";
import { packShared, reviveShared } from "./revive";

const CHANNEL = "lanes.queue-item-buffers";
/** Entries a thread keeps for queues it does not consume from; the oldest go first. */
const MAX_ENTRIES = 10_000;
const SAB_MARK = "__lanesSab__";

interface Posted {
  readonly q: string;
  readonly s: number;
  readonly b: SharedArrayBuffer[];
}
/** What travels on the channel: an item's buffers, a thread asking for them, or word that they were taken. */
type Message = Posted | { readonly need: string } | { readonly done: string };
/** How long a worker that missed a broadcast asks around before giving up. */
const ASK_MS = 10_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

let channel: BroadcastChannel | undefined;
/** `${queue id}:${position}` → the item's buffers. */
const directory = new Map<string, SharedArrayBuffer[]>();

function remember(m: Posted): void {
  directory.set(`${m.q}:${m.s}`, m.b);
  if (directory.size > MAX_ENTRIES) directory.delete(directory.keys().next().value!);
}

function handle(m: Message): void {
  if ("need" in m) {
    // A thread that started listening too late asks: whoever has the buffers answers.
    const b = directory.get(m.need);
    if (b !== undefined) {
      const at = m.need.lastIndexOf(":");
      channel!.postMessage({ q: m.need.slice(0, at), s: Number(m.need.slice(at + 1)), b } satisfies Posted);
    }
  } else if ("done" in m) directory.delete(m.done);
  else remember(m);
}

/** Starts listening in this thread (when it first holds a queue): only listeners receive broadcasts. */
export function listenForItemBuffers(): void {
  if (channel !== undefined) return;
  channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (e) => handle((e as { data: Message }).data);
  // Listening must not keep a thread (or the kernel) alive.
  (channel as unknown as { unref(): void }).unref();
}

function drain(): void {
  if (channel === undefined) return;
  for (;;) {
    const m = receiveMessageOnPort(channel as never);
    if (m === undefined) return;
    handle(m.message as Message);
  }
}

/** The data part of an item holding shared objects, or undefined when it holds none (a plain item). */
export function packSharedItem(value: unknown): { body: Uint8Array; buffers: SharedArrayBuffer[] } | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const packed = packShared(value);
  if (packed === value) return undefined;
  const buffers: SharedArrayBuffer[] = [];
  const body = lazyV8().serialize(numberBuffers(packed, buffers, new Map()));
  // packShared also copies objects it does not recognise as plain (a null-prototype record): with no
  // shared memory found, the item is plain data for the plain v8 path.
  return buffers.length === 0 ? undefined : { body, buffers };
}

/** Broadcasts an item's buffers. Holding the put lock, after the room check, before the commit. */
export function postItemBuffers(queue: string, position: number, buffers: SharedArrayBuffer[]): void {
  listenForItemBuffers();
  const m: Posted = { q: queue, s: position, b: buffers };
  remember(m);
  channel!.postMessage(m);
}

/** Rebuilds an item from its data part and its broadcast buffers. */
export function unpackSharedItem(queue: string, position: number, body: Uint8Array): unknown {
  const key = `${queue}:${position}`;
  let buffers = directory.get(key);
  if (buffers === undefined) {
    drain();
    buffers = directory.get(key);
  }
  if (buffers === undefined && !isMainThread) {
    // This worker was not listening yet when the item was put (it had just started): ask the threads
    // that were — the one that put it, the kernel — and wait for an answer (they answer from their
    // event loops).
    channel!.postMessage({ need: key } satisfies Message);
    const deadline = performance.now() + ASK_MS;
    while (buffers === undefined && performance.now() < deadline) {
      Atomics.wait(pause, 0, 0, 1);
      drain();
      buffers = directory.get(key);
    }
  }
  if (buffers === undefined) {
    throw new SharedItemLostError(
      `a queue item holding shared objects (Value, Array, Lock, Queue …) arrived without their memory: this thread started ` +
        `listening after the item was put, and the queue it was given did not carry them. Hand the queue to a worker before ` +
        `putting items with shared objects on it (or pass the shared objects to the worker directly).`,
    );
  }
  directory.delete(key);
  // Every other thread may forget them now.
  channel!.postMessage({ done: key } satisfies Message);
  return reviveShared(restoreBuffers(lazyV8().deserialize(body), buffers));
}

/** Buffers of the items of `queue` this thread knows of at or after `taken`: for the queue's wire. */
export function pendingFor(queue: string, taken: number): [number, SharedArrayBuffer[]][] | undefined {
  drain();
  let out: [number, SharedArrayBuffer[]][] | undefined;
  const prefix = `${queue}:`;
  for (const [key, b] of directory) {
    if (!key.startsWith(prefix)) continue;
    const s = Number(key.slice(prefix.length));
    if (((s - taken) | 0) >= 0) (out ??= []).push([s, b]);
    else directory.delete(key);
  }
  return out;
}

/** The receiving half of `pendingFor`. */
export function adoptPending(queue: string, pending: readonly [number, SharedArrayBuffer[]][] | undefined): void {
  listenForItemBuffers();
  for (const [s, b] of pending ?? []) remember({ q: queue, s, b });
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === Object.prototype || proto === null;
}

/** A copy of `v` with every SharedArrayBuffer (in arrays and plain objects) replaced by its number. */
function numberBuffers(v: unknown, buffers: SharedArrayBuffer[], seen: Map<object, unknown>): unknown {
  if (v instanceof SharedArrayBuffer) {
    let i = buffers.indexOf(v);
    if (i < 0) i = buffers.push(v) - 1;
    return { [SAB_MARK]: i };
  }
  if (typeof v !== "object" || v === null || !(Array.isArray(v) || isPlain(v))) return v;
  const done = seen.get(v);
  if (done !== undefined) return done;
  const out: Record<string, unknown> = Array.isArray(v) ? (new Array(v.length) as never) : {};
  seen.set(v, out);
  for (const k of Object.keys(v)) out[k] = numberBuffers((v as Record<string, unknown>)[k], buffers, seen);
  return out;
}

function restoreBuffers(v: unknown, buffers: SharedArrayBuffer[]): unknown {
  const seen = new Set<object>();
  const walk = (x: unknown): unknown => {
    if (typeof x !== "object" || x === null || !(Array.isArray(x) || isPlain(x))) return x;
    const i = (x as Record<string, unknown>)[SAB_MARK];
    if (typeof i === "number") return buffers[i];
    if (seen.has(x)) return x;
    seen.add(x);
    for (const k of Object.keys(x)) (x as Record<string, unknown>)[k] = walk((x as Record<string, unknown>)[k]);
    return x;
  };
  return walk(v);
}
