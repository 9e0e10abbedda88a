/**
 * The byte ring every Lanes queue is built on: one growable SharedArrayBuffer holding control words
 * and length-prefixed items, guarded by the futex mutex of ./mutex. Any number of threads put and take
 * whole items; nobody ever sees a partial one.
 *
 * Items are counted (`maxsize` is in items, as in Python); bytes are not a limit the user sees: an item
 * that does not fit the free bytes grows the buffer (a growable SharedArrayBuffer, which every thread's
 * length-tracking view follows) up to `MAX_BYTES`. Waiting uses two sequence words: `DATA_SEQ` moves
 * when an item is added (or the queue closes), `ROOM_SEQ` when one is taken; a waiter reads the word
 * under the mutex and sleeps only while it is unchanged, so no wake-up is lost.
 */
import { BROKEN, CONTENDED, FREE, LOCKED, ME, MUTEX_WORDS, lockSync, tryLock, unlock } from "./mutex";
import { watchMutex } from "./owners";
import { onKernelThread, waitOn, waitSync, type WaitResult } from "./wait";
import { KernelThreadBlockingError } from "../errors";

// Control words (Int32), after the mutex's two. Each sequence word is followed by the number of
// threads sleeping on it, so that a put or get notifies (a futex wake, the costly part) only when
// someone sleeps.
const COUNT = MUTEX_WORDS; // items in the ring
const USED = COUNT + 1; // bytes in the ring
const HEAD = COUNT + 2; // read offset into the data area
const TAIL = COUNT + 3; // write offset
const CLOSED = COUNT + 4;
const DATA_SEQ = COUNT + 5; // moves when an item is added or the queue closes; + 1: its sleepers
const ROOM_SEQ = COUNT + 7; // moves when an item is taken or the queue closes; + 1: its sleepers
const UNFINISHED = COUNT + 9; // JoinableQueue: items put and not yet marked done
const DONE_SEQ = COUNT + 10; // moves when UNFINISHED reaches 0; + 1: its sleepers
const MAXSIZE = COUNT + 12; // 0: unbounded
const CAPACITY = COUNT + 13; // bytes of the data area
const WORDS = COUNT + 14;
/** Lock attempts a worker makes before it sleeps: critical sections are a copy, a sleep costs a syscall each way. */
const LOCK_SPINS = 128;
/** Checks of a sequence word before sleeping on it: an item that comes within a few µs costs no futex wait. */
const WAIT_SPINS = 256;
/** Data starts on a cache line of its own. */
const DATA = 64;
/** Frame header: the body's length (4 bytes, little-endian) and its codec tag. */
const HEADER = 5;

// ES2024 growable SharedArrayBuffers: Node 20 has them, the ES2023 lib this project compiles against does not type them.
interface Growable extends SharedArrayBuffer {
  grow(byteLength: number): void;
}
const GrowableSharedArrayBuffer = SharedArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => SharedArrayBuffer;

/** The largest a ring grows to: an item larger than this cannot be put. */
export const MAX_BYTES = 1 << 30;

/** What a waiting operation waits on, returned by a step that cannot finish yet. */
export type Wait = { word: number; seq: number };

export class Ring {
  readonly buffer: SharedArrayBuffer;
  readonly words: Int32Array;
  /** Length-tracking: follows the buffer when any thread grows it. */
  private readonly data: Uint8Array;
  /** What the mutex's messages call it ("Queue"). */
  readonly what: string;
  /** Index of the mutex in `words` (for ./owners). */
  readonly base = 0;

  constructor(what: string, init: { maxsize: number; bytes: number } | SharedArrayBuffer) {
    this.what = what;
    if (init instanceof SharedArrayBuffer) {
      this.buffer = init;
    } else {
      this.buffer = new GrowableSharedArrayBuffer(DATA + init.bytes, { maxByteLength: DATA + MAX_BYTES });
      const w = new Int32Array(this.buffer, 0, WORDS);
      w[MAXSIZE] = init.maxsize;
      w[CAPACITY] = init.bytes;
    }
    this.words = new Int32Array(this.buffer, 0, WORDS);
    this.data = new Uint8Array(this.buffer, DATA);
    // A worker that dies holding the mutex breaks it (./owners): every later call throws
    // LockOwnerDiedError instead of waiting forever on a queue whose last copy may be half done.
    // Watched weakly: the ring itself is the key, alive as long as its queue is.
    watchMutex(this);
  }

  get maxsize(): number {
    return this.words[MAXSIZE]!;
  }

  count(): number {
    return Atomics.load(this.words, COUNT);
  }

  unfinished(): number {
    return Atomics.load(this.words, UNFINISHED);
  }

  closed(): boolean {
    return Atomics.load(this.words, CLOSED) !== 0;
  }

  // ── under the mutex ────────────────────────────────────────────────────────────────────────────

  /** Appends one item if there is room (items and bytes); else what to wait on. Holding the mutex. */
  tryPut(tag: number, bytes: Uint8Array, joinable: boolean): Wait | undefined {
    const w = this.words;
    const max = w[MAXSIZE]!;
    if (max > 0 && w[COUNT]! >= max) return { word: ROOM_SEQ, seq: w[ROOM_SEQ]! };
    const frame = HEADER + bytes.length;
    let cap = w[CAPACITY]!;
    if (cap - w[USED]! < frame) {
      if (!this.grow(w[USED]! + frame)) return { word: ROOM_SEQ, seq: w[ROOM_SEQ]! };
      cap = w[CAPACITY]!;
    }
    let tail = w[TAIL]!;
    const n = bytes.length;
    const d = this.data;
    for (let k = 0; k < 4; k++) {
      d[tail] = (n >>> (8 * k)) & 0xff;
      if (++tail === cap) tail = 0;
    }
    d[tail] = tag;
    if (++tail === cap) tail = 0;
    tail = this.copyIn(bytes, tail, cap);
    w[TAIL] = tail;
    w[USED] = w[USED]! + frame;
    w[COUNT] = w[COUNT]! + 1;
    if (joinable) w[UNFINISHED] = w[UNFINISHED]! + 1;
    this.bump(DATA_SEQ);
    return undefined;
  }

  /** The codec tag of the item the last `tryGet` took. */
  lastTag = 0;
  /** Reused by `tryGet(false)`: most items need no bytes of their own once decoded. */
  private scratch = new Uint8Array(256);

  /**
   * Takes the oldest item's bytes, or says what to wait on. Holding the mutex. `own`: a fresh copy;
   * else a view of this thread's scratch buffer, valid until the next `tryGet`.
   */
  tryGet(own: boolean): Uint8Array | Wait {
    const w = this.words;
    if (w[COUNT] === 0) return { word: DATA_SEQ, seq: w[DATA_SEQ]! };
    const cap = w[CAPACITY]!;
    const d = this.data;
    let head = w[HEAD]!;
    let n = 0;
    for (let k = 0; k < 4; k++) {
      n |= d[head]! << (8 * k);
      if (++head === cap) head = 0;
    }
    n >>>= 0;
    this.lastTag = d[head]!;
    if (++head === cap) head = 0;
    let bytes: Uint8Array;
    if (own) bytes = new Uint8Array(n);
    else {
      if (this.scratch.length < n) this.scratch = new Uint8Array(Math.max(n, 2 * this.scratch.length));
      bytes = this.scratch.subarray(0, n);
    }
    head = this.copyOut(bytes, head, cap);
    w[HEAD] = head;
    w[USED] = w[USED]! - HEADER - n;
    w[COUNT] = w[COUNT]! - 1;
    this.bump(ROOM_SEQ);
    return bytes;
  }

  /** Marks the queue closed and wakes every waiter. Holding the mutex. */
  close(): void {
    this.words[CLOSED] = 1;
    this.bump(DATA_SEQ);
    this.bump(ROOM_SEQ);
  }

  /** JoinableQueue.taskDone: false when more were done than put. Holding the mutex. */
  taskDone(): boolean {
    const w = this.words;
    if (w[UNFINISHED]! <= 0) return false;
    w[UNFINISHED] = w[UNFINISHED]! - 1;
    if (w[UNFINISHED] === 0) this.bump(DONE_SEQ);
    return true;
  }

  /** What `join` waits on while items are unfinished, or undefined when none are. Holding the mutex. */
  joinWait(): Wait | undefined {
    const w = this.words;
    return w[UNFINISHED] === 0 ? undefined : { word: DONE_SEQ, seq: w[DONE_SEQ]! };
  }

  /**
   * Grows the data area to hold `needed` bytes (doubling), moving the wrapped-around part of the ring
   * behind the old end so the bytes stay in order. False at `MAX_BYTES`.
   */
  private grow(needed: number): boolean {
    const w = this.words;
    const cap = w[CAPACITY]!;
    if (needed > MAX_BYTES) return false;
    let next = Math.max(cap * 2, 1024);
    while (next < needed) next *= 2;
    next = Math.min(next, MAX_BYTES);
    if (this.buffer.byteLength < DATA + next) (this.buffer as Growable).grow(DATA + next);
    const head = w[HEAD]!;
    const tail = w[TAIL]!;
    // Wrapped (or exactly full): the part at [0, tail) moves to [cap, cap + tail).
    if (w[USED]! > 0 && tail <= head) {
      this.data.copyWithin(cap, 0, tail);
      w[TAIL] = cap + tail;
    }
    w[CAPACITY] = next;
    return true;
  }

  private copyIn(src: Uint8Array, at: number, cap: number): number {
    const first = Math.min(src.length, cap - at);
    this.data.set(src.subarray(0, first), at);
    if (first < src.length) this.data.set(src.subarray(first), 0);
    const end = at + src.length;
    return end >= cap ? end - cap : end;
  }

  private copyOut(dst: Uint8Array, at: number, cap: number): number {
    const first = Math.min(dst.length, cap - at);
    dst.set(this.data.subarray(at, at + first));
    if (first < dst.length) dst.set(this.data.subarray(0, dst.length - first), first);
    const end = at + dst.length;
    return end >= cap ? end - cap : end;
  }

  private bump(word: number): void {
    Atomics.add(this.words, word, 1);
    // Sleepers count themselves before they sleep on the old value (see waitSync): one that is not yet
    // counted sees the new value and does not sleep, so skipping the notify loses no wake-up.
    if (Atomics.load(this.words, word + 1) > 0) Atomics.notify(this.words, word);
  }

  // ── locking and waiting ────────────────────────────────────────────────────────────────────────

  /** Takes the mutex in a worker (blocking) or, on the kernel thread, by spinning: holders keep it for a copy. */
  lockNow(call: string, twin: string): void {
    if (tryLock(this.words, 0, this.what)) return;
    if (!onKernelThread) {
      for (let i = 0; i < LOCK_SPINS; i++) if (tryLock(this.words, 0, this.what)) return;
      lockSync(this.words, 0, Infinity, this.what, call, twin);
      return;
    }
    // The holder only copies bytes; it can still be descheduled on a busy machine, so allow it long.
    const deadline = performance.now() + SPIN_MS;
    while (!tryLock(this.words, 0, this.what)) {
      if (performance.now() > deadline) {
        throw new KernelThreadBlockingError(`${call}: the ${this.what}'s lock stayed held by another thread for ${SPIN_MS} ms; use ${twin} on the kernel thread`);
      }
    }
  }

  /**
   * Runs `fn` holding the mutex, awaiting it when contended. `fn` runs in the same synchronous stretch
   * as the acquisition, and the mutex is never held across an `await`: other code on this thread (a
   * `getNowait` between two microtasks) never finds it held by its own thread, which would spin forever.
   * The futex protocol of ./mutex: once it has waited, a waiter takes the mutex as CONTENDED so that
   * its unlock wakes the next one.
   */
  async runLocked<R>(fn: () => R): Promise<R> {
    const w = this.words;
    let waited = false;
    for (;;) {
      const c = Atomics.compareExchange(w, 0, FREE, waited ? CONTENDED : LOCKED);
      if (c === FREE) {
        Atomics.store(w, 1, ME);
        try {
          return fn();
        } finally {
          this.unlock();
        }
      }
      // Broken (a holder died): tryLock throws the error that says so.
      if (c === BROKEN) tryLock(w, 0, this.what);
      if (c === LOCKED && Atomics.compareExchange(w, 0, LOCKED, CONTENDED) !== LOCKED) continue;
      waited = true;
      await waitOn(w, 0, CONTENDED, Infinity);
    }
  }

  unlock(): void {
    unlock(this.words, 0, this.what);
  }

  /** Sleeps while the sequence word of `wait` is unchanged (after a short spin), counted as its sleeper. */
  waitSync(wait: Wait, deadline: number): WaitResult {
    const w = this.words;
    for (let i = 0; i < WAIT_SPINS; i++) if (Atomics.load(w, wait.word) !== wait.seq) return "not-equal";
    Atomics.add(w, wait.word + 1, 1);
    try {
      return waitSync(w, wait.word, wait.seq, deadline);
    } finally {
      Atomics.sub(w, wait.word + 1, 1);
    }
  }

  async waitAsync(wait: Wait, deadline: number): Promise<WaitResult> {
    const w = this.words;
    Atomics.add(w, wait.word + 1, 1);
    try {
      return await waitOn(w, wait.word, wait.seq, deadline);
    } finally {
      Atomics.sub(w, wait.word + 1, 1);
    }
  }
}

const SPIN_MS = 2000;
