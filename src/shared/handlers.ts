/**
 * How Lanes' shared objects cross into workers: as their SharedArrayBuffers (which structured clone
 * shares, never copies) plus what rebuilds the object around them. register.ts puts this in the ship
 * transfer-handler registry, on the kernel side and in every worker.
 */
import { sharedArrayOver, lockOfArray, type SharedArray } from "./array";
import { Barrier } from "./barrier";
import { kindOf, type SharedKind } from "./brand";
import { Condition } from "./condition";
import { Event } from "./event";
import { Lock } from "./lock";
import { RLock } from "./rlock";
import { BoundedSemaphore, Semaphore } from "./semaphore";
import type { Typecode } from "./typecodes";
import { SharedValue } from "./value";
import { Queue } from "./queue";
import { JoinableQueue } from "./joinable-queue";
import { SimpleQueue } from "./simple-queue";
import { adoptPending, pendingFor } from "./item-shared";
import { Ring } from "./ring";

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
      const lock = lockOfArray(a);
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
      return new Lock(w.b);
    case "RLock":
      return new RLock(w.b);
    case "Semaphore":
      return new Semaphore(0, w.b);
    case "BoundedSemaphore":
      return new BoundedSemaphore(0, w.b);
    case "Event":
      return new Event(w.b);
    case "Condition":
      return new Condition(fromWire(w.lock) as Lock | RLock, w.b);
    case "Barrier":
      return Barrier.revive(w.b, w.a, w.t);
    case "Value":
      return new SharedValue(w.c, undefined, lockFromWire(w.lock), w.b, w.o);
    case "Array":
      return sharedArrayOver(w.c, w.b, w.o, w.n, lockFromWire(w.lock));
    case "Queue":
      return new Queue(undefined, w.b);
    case "JoinableQueue":
      return new JoinableQueue(undefined, w.b);
    case "SimpleQueue":
      return new SimpleQueue(undefined, w.b);
  }
}
