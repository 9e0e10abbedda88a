/**
 * How Lanes' shared objects cross into workers: as their SharedArrayBuffers (which structured clone
 * shares, never copies) plus what rebuilds the object around them. register.ts puts this in the ship
 * transfer-handler registry, on the kernel side and in every worker.
 */
import type { SharedArray } from "./array";
import type { Barrier } from "./barrier";
import { kindOf, type SharedKind } from "./brand";
import type { Condition } from "./condition";
import type { Event } from "./event";
import type { Lock } from "./lock";
import type { RLock } from "./rlock";
import type { BoundedSemaphore, Semaphore } from "./semaphore";
import type { Typecode } from "./typecodes";
import type { SharedValue } from "./value";
import type { Queue } from "./queue";
import { adoptPending, pendingFor } from "./item-shared";
import { Ring } from "./ring";

/**
 * The modules of the shared classes, each loaded when the first object of its kind crosses: a
 * Process thread that receives one Queue loads the queue's files, not every lock, array and barrier
 * with their wait logs. The kernel (src/shared/index.ts) hands them all over at once: it has them
 * loaded anyway, and under a test runner a lazy `require` of a .ts file would fail.
 */
export interface SharedModules {
  readonly array: typeof import("./array");
  readonly barrier: typeof import("./barrier");
  readonly condition: typeof import("./condition");
  readonly event: typeof import("./event");
  readonly lock: typeof import("./lock");
  readonly rlock: typeof import("./rlock");
  readonly semaphore: typeof import("./semaphore");
  readonly value: typeof import("./value");
  readonly queue: typeof import("./queue");
  readonly joinableQueue: typeof import("./joinable-queue");
  readonly simpleQueue: typeof import("./simple-queue");
}

/* eslint-disable @typescript-eslint/no-require-imports -- lazy, synchronous loads (see SharedModules) */
const LOADERS: { readonly [K in keyof SharedModules]: () => SharedModules[K] } = {
  array: () => require("./array") as SharedModules["array"],
  barrier: () => require("./barrier") as SharedModules["barrier"],
  condition: () => require("./condition") as SharedModules["condition"],
  event: () => require("./event") as SharedModules["event"],
  lock: () => require("./lock") as SharedModules["lock"],
  rlock: () => require("./rlock") as SharedModules["rlock"],
  semaphore: () => require("./semaphore") as SharedModules["semaphore"],
  value: () => require("./value") as SharedModules["value"],
  queue: () => require("./queue") as SharedModules["queue"],
  joinableQueue: () => require("./joinable-queue") as SharedModules["joinableQueue"],
  simpleQueue: () => require("./simple-queue") as SharedModules["simpleQueue"],
};
/* eslint-enable @typescript-eslint/no-require-imports */

const loaded: { -readonly [K in keyof SharedModules]?: SharedModules[K] } = {};

/** The kernel side: every shared class module, loaded already (see SharedModules). */
export function useSharedModules(modules: SharedModules): void {
  Object.assign(loaded, modules);
}

function mod<K extends keyof SharedModules>(name: K): SharedModules[K] {
  return (loaded[name] ??= LOADERS[name]());
}

export type SharedObject = Lock | RLock | Semaphore | BoundedSemaphore | Event | Condition | Barrier | SharedValue | SharedArray | Queue;

/** The structured-cloneable form of a shared object. */
export type SharedWire =
  | { readonly k: "Lock" | "RLock" | "Semaphore" | "BoundedSemaphore" | "Event"; readonly b: SharedArrayBuffer }
  | { readonly k: "Condition"; readonly b: SharedArrayBuffer; readonly lock: SharedWire }
  | { readonly k: "Barrier"; readonly b: SharedArrayBuffer; readonly a: string | undefined; readonly t: number | undefined }
  | { readonly k: "Value"; readonly c: Typecode; readonly b: SharedArrayBuffer; readonly o: number; readonly lock: SharedWire | null }
  | { readonly k: "Array"; readonly c: Typecode; readonly b: SharedArrayBuffer; readonly o: number; readonly n: number; readonly lock: SharedWire | null }
  | { readonly k: "Queue" | "JoinableQueue" | "SimpleQueue"; readonly b: SharedArrayBuffer; readonly p?: [number, SharedArrayBuffer[]][] };

export function isShared(v: unknown): v is SharedObject {
  return kindOf(v) !== undefined;
}

export function toWire(v: SharedObject): SharedWire {
  const k: SharedKind = kindOf(v)!;
  switch (k) {
    case "Lock":
    case "RLock":
    case "Semaphore":
    case "BoundedSemaphore":
    case "Event":
      return { k, b: (v as Lock).buffer };
    case "Condition":
      return { k, b: (v as Condition).words.buffer as SharedArrayBuffer, lock: toWire((v as Condition).lock) };
    case "Barrier": {
      const b = v as Barrier;
      return { k, b: b.buffer, a: b.actionSource, t: b.timeout };
    }
    case "Value": {
      const sv = v as SharedValue;
      return { k, c: sv.typecode, b: sv.view.buffer as SharedArrayBuffer, o: sv.view.byteOffset, lock: sv.lock && toWire(sv.lock) };
    }
    case "Array": {
      const a = v as SharedArray;
      const lock = mod("array").lockOfArray(a);
      return { k, c: a.typecode, b: a.buffer as SharedArrayBuffer, o: a.byteOffset, n: a.length, lock: lock && toWire(lock) };
    }
    case "Queue":
    case "JoinableQueue":
    case "SimpleQueue":
    {
      // With the buffers of queued items holding shared objects: the receiver was not listening when they were put.
      const ring = (v as Queue).ring;
      const p = pendingFor(ring.id, ring.taken());
      return p === undefined ? { k, b: ring.buffer } : { k, b: ring.buffer, p };
    }
  }
}

function lockFromWire(w: SharedWire | null): Lock | RLock | null {
  return w === null ? null : (fromWire(w) as Lock | RLock);
}

// Structured clone keeps the identity of a SharedArrayBuffer within one message: two Values sharing
// one Lock arrive with one Lock object, as they left, not two over the same memory.
const revived = new WeakMap<SharedArrayBuffer, SharedObject>();

export function fromWire(w: SharedWire): SharedObject {
  if ((w.k === "Queue" || w.k === "JoinableQueue" || w.k === "SimpleQueue") && w.p !== undefined) adoptPending(Ring.idOf(w.b), w.p);
  const known = revived.get(w.b);
  if (known !== undefined && kindOf(known) === w.k) return known;
  const made = build(w);
  revived.set(w.b, made);
  return made;
}

function build(w: SharedWire): SharedObject {
  switch (w.k) {
    case "Lock":
      return new (mod("lock").Lock)(w.b);
    case "RLock":
      return new (mod("rlock").RLock)(w.b);
    case "Semaphore":
      return new (mod("semaphore").Semaphore)(0, w.b);
    case "BoundedSemaphore":
      return new (mod("semaphore").BoundedSemaphore)(0, w.b);
    case "Event":
      return new (mod("event").Event)(w.b);
    case "Condition":
      return new (mod("condition").Condition)(fromWire(w.lock) as Lock | RLock, w.b);
    case "Barrier":
      return mod("barrier").Barrier.revive(w.b, w.a, w.t);
    case "Value":
      return new (mod("value").SharedValue)(w.c, undefined, lockFromWire(w.lock), w.b, w.o);
    case "Array":
      return mod("array").sharedArrayOver(w.c, w.b, w.o, w.n, lockFromWire(w.lock));
    case "Queue":
      return new (mod("queue").Queue)(undefined, w.b);
    case "JoinableQueue":
      return new (mod("joinableQueue").JoinableQueue)(undefined, w.b);
    case "SimpleQueue":
      return new (mod("simpleQueue").SimpleQueue)(undefined, w.b);
  }
}
