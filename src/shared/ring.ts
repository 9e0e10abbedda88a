/**
 * The byte ring every Lanes queue is built on: one growable SharedArrayBuffer holding control words
 * and length-prefixed items. Any number of threads put and take whole items; nobody ever sees a
 * partial one.
 *
 * Two futex mutexes (./mutex), one per end: producers hold the put lock while they copy an item in,
 * consumers the get lock while they copy one out, so a producer and a consumer never wait for each
 * other (a two-lock queue, Michael & Scott 1996). The ends meet only through monotone counters, each
 * written by one side: PUTS and BYTES_IN by producers, TAKES and BYTES_OUT by consumers. The item
 * count is PUTS − TAKES, the bytes in use BYTES_IN − BYTES_OUT. Each side's words sit on a cache line
 * of their own.
 *
 * Every operation publishes with one store (PUTS for a put, TAKES for a get), after the bytes are
 * copied and after it has written what it is about to commit into a journal. A thread that dies in the
 * middle (a terminated Process) leaves either nothing visible or a journal the kernel rolls forward
 * (`recover`, called by ./owners when the dead thread held a lock): the queue goes on, with no torn
 * item and nothing lost but an item its dying consumer had already taken.
 *
 * Items are counted (`maxsize` is in items, as in Python); bytes are not a limit the user sees: an item
 * that does not fit the free bytes grows the buffer (holding both locks; every thread's length-tracking
 * view follows) up to `MAX_BYTES`. Waiting is an eventcount: a waiter reads the sequence word, counts
 * itself as a sleeper, checks its condition once more and sleeps only while the word is unchanged; the
 * other side takes the counts, bumps the word and wakes only when someone sleeps (`wake`), so the fast
 * path makes no system call and no wake-up is lost.
 */
import { FREE, LOCKED, tryLock } from "./mutex";
import { watchMutex } from "./owners";
import { onKernelThread, refuseOnKernel, remaining, waitOn, waitSync, type WaitResult } from "./wait";
import { preciseNaps } from "./timer-slack";
import { KernelThreadBlockingError } from "../errors";
import { STREAM_NAP_MS, WaitPace } from "./wait-pace";

// ── control words (Int32) ─────────────────────────────────────────────────────────────────────────
// Producers' line. The put mutex stays at 0 (its state and owner words).
/** Index of the put mutex. */
export const PUT_LOCK = 0;
const TAIL = 2; // write offset into the data area (producers only)
const PUTS = 3; // items ever put (wrapping): the put's commit point
const BYTES_IN = 4; // bytes ever put (wrapping; producers only)
const PJ_FLAG = 5; // journal: 0 nothing pending, 1 a put is committing, 2 a grow is
const PJ_TAIL = 6;
const PJ_PUTS = 7;
const PJ_BYTES = 8;
const PJ_CAP = 9;
const MAXSIZE = 10; // 0: unbounded
const ID = 11; // two random words naming the queue across threads (./item-shared)
/** Each lock's sleeper count is this many words after it (13 for the put lock, 29 for the get lock). */
const SLEEPERS = 13;
const SEEN_OUT = 14; // BYTES_OUT as a producer last read it (producers only): see `tryPut`
const SEEN_TAKES = 15; // TAKES as a producer last read it (producers only)
// Consumers' line.
/** Index of the get mutex. */
export const GET_LOCK = 16;
const HEAD = 18; // read offset (consumers only)
const TAKES = 19; // items ever taken (wrapping): the get's commit point
const BYTES_OUT = 20; // bytes ever taken (wrapping)
const GJ_FLAG = 21; // journal: 1 a get is committing
const GJ_HEAD = 22;
const GJ_TAKES = 23;
const GJ_BYTES = 24;
const SEEN_PUTS = 25; // PUTS as a consumer last read it (consumers only): see `tryGet`
// Both sides, rarely written.
const CAPACITY = 32; // bytes of the data area (changed holding both locks)
const CLOSED = 33;
// Waiting, on a line of its own: a sleeper's count changes the line, which puts and gets read. Each
// sequence word is followed by its sleepers word: an epoch (high bits) and a count (low bits), see `wake`.
const DATA_SEQ = 48; // bumped when an item is added (if someone sleeps) or the queue closes; + 1: its sleepers
const ROOM_SEQ = 50; // bumped when an item is taken (if someone sleeps) or the queue closes; + 1: its sleepers
const DONES = 52; // JoinableQueue: taskDone calls (unfinished = PUTS − DONES)
const DONE_SEQ = 53; // + 1: its sleepers
const WORDS = 64;
/** The data area starts after the control words, on a cache line of its own. */
const DATA = 256;
/** Lock attempts a worker makes before it sleeps: critical sections are a copy, a sleep costs a syscall each way. */
const LOCK_SPINS = 128;
/** Longest sleep of a lock waiter before it tries again (the holder's wake is a shortcut: see `lockNow`). */
const LOCK_NAP_MS = 1;
/** Unlocks that skip the wake after one found nobody asleep. */
const QUIET_UNLOCKS = 64;
/** Checks of a waiter's condition before it naps: an item that comes within a µs or two costs no system call. */
const WAIT_SPINS = 64;
/**
 * Then naps of `WAIT_NAP_MS`, uncounted (no put or get pays a wake for them), checking after each,
 * before the waiter counts itself and sleeps until woken. On 2 cores a 4 → 4 queue's consumers, which
 * outrun its producers, spun 2,048 checks each time they found it empty: as many CPU-milliseconds as
 * the producers used, on the cores the producers needed. Napping, they leave the cores to the producers
 * and come back to several items, taken with one read of PUTS. Rounds interleaved with the old spin in
 * the same threads (20 each, medians of the paired ratios): 4 → 4 records 0.85–0.89, tuples 0.92–0.94, ints 0.95;
 * 1 → 1 tuples 0.98, ints 0.94. 8 naps of 50 µs gained less (records 0.89, tuples 0.94), 256 checks
 * first about the same (0.87).
 */
const WAIT_NAPS = 8;
const WAIT_NAP_MS = 0.02;
/**
 * How long a put waiting for bytes (the ring at `MAX_BYTES`) sleeps before it looks again: it is not
 * counted as a sleeper, so an unbounded queue's gets need not read a sleeper count to wake it.
 */
const BYTES_NAP_MS = 1;
/** Frame header: the body's length (4 bytes, little-endian) and its codec tag. */
const HEADER = 5;

// ES2024 growable SharedArrayBuffers: Node 20 has them, the ES2023 lib this project compiles against does not type them.
interface Growable extends SharedArrayBuffer {
  grow(byteLength: number): void;
}
const GrowableSharedArrayBuffer = SharedArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => SharedArrayBuffer;

/** The largest a ring grows to: an item larger than this cannot be put. */
export const MAX_BYTES = 1 << 30;

/** A decoder `tryGet` may run on an item's bytes where they lie in the ring (./item-codec's in-place tags). */
export interface InPlace {
  accepts(tag: number): boolean;
  /** The item from the bytes of `d` at `from`; copies all it keeps (the bytes are reused once taken). */
  decode(tag: number, d: Uint8Array, from: number): unknown;
}

/** `tryGet`'s answer when it decoded the item in place (`Ring.lastValue`). */
export const DECODED = new Uint8Array(0);

/** What a waiting operation waits for, returned by a step that cannot finish yet (constants: waiting allocates nothing). */
export type Wait = { readonly word: number; readonly kind: "data" | "room" | "done" | "bytes" };
const dataWait: Wait = { word: DATA_SEQ, kind: "data" };
const roomWait: Wait = { word: ROOM_SEQ, kind: "room" };
const doneWait: Wait = { word: DONE_SEQ, kind: "done" };
/** At `MAX_BYTES`: waits for any take (the seq moves), not for a condition it could check. */
const bytesWait: Wait = { word: ROOM_SEQ, kind: "bytes" };

export class Ring {
  readonly buffer: SharedArrayBuffer;
  readonly words: Int32Array;
  /**
   * The data area, fixed-length: V8 reads and writes a length-tracking view of a growable buffer about
   * 10× slower per element (30 ns against 2.7 ns here), so this view is re-made when the capacity
   * changes (another thread grew the ring), checked once per operation.
   */
  private dataView: Uint8Array;
  /** What the mutex's messages call it ("Queue"). */
  readonly what: string;
  /** A maxsize was given (it never changes): read here, not on the producers' line. */
  private readonly bounded: boolean;
  /** Index of the mutex ./owners breaks if it cannot recover (never: `recover` handles both). */
  readonly base = PUT_LOCK;
  constructor(what: string, init: { maxsize: number; bytes: number } | SharedArrayBuffer) {
    this.what = what;
    if (init instanceof SharedArrayBuffer) {
      this.buffer = init;
    } else {
      this.buffer = new GrowableSharedArrayBuffer(DATA + init.bytes, { maxByteLength: DATA + MAX_BYTES });
      const w = new Int32Array(this.buffer, 0, WORDS);
      w[MAXSIZE] = init.maxsize;
      w[CAPACITY] = init.bytes;
      crypto.getRandomValues(w.subarray(ID, ID + 2));
    }
    this.words = new Int32Array(this.buffer, 0, WORDS);
    this.bounded = this.words[MAXSIZE] !== 0;
    this.dataView = new Uint8Array(this.buffer, DATA, this.words[CAPACITY]);
    // A worker that dies holding either lock: the kernel rolls its journal forward and frees the lock
    // (`recover`). Watched weakly: the ring itself is the key, alive as long as its queue is.
    watchMutex(this);
  }

  /** The queue's name across threads. */
  get id(): string {
    return Ring.idOf(this.buffer);
  }

  static idOf(buffer: SharedArrayBuffer): string {
    const w = new Int32Array(buffer, 0, WORDS);
    return `${w[ID]!.toString(36)}.${w[ID + 1]!.toString(36)}`;
  }

  /** Items ever taken (wrapping): the position of the next item a get takes. */
  taken(): number {
    return Atomics.load(this.words, TAKES);
  }

  get maxsize(): number {
    return this.words[MAXSIZE]!;
  }

  /** Items in the ring: TAKES first, so a concurrent put can only make it larger, never negative. */
  count(): number {
    const takes = Atomics.load(this.words, TAKES);
    return (Atomics.load(this.words, PUTS) - takes) | 0;
  }

  /** JoinableQueue: items put and not yet marked done. */
  unfinished(): number {
    const dones = Atomics.load(this.words, DONES);
    return (Atomics.load(this.words, PUTS) - dones) | 0;
  }

  closed(): boolean {
    return Atomics.load(this.words, CLOSED) !== 0;
  }

  /** `closed()` for a thread holding the put lock: `close` writes the flag holding it, so a plain read sees it. */
  closedForPut(): boolean {
    return this.words[CLOSED] !== 0;
  }

  /** True when what `wait` waits for may have come: the caller retries. */
  private ready(wait: Wait): boolean {
    switch (wait.kind) {
      case "data":
        return this.count() > 0 || this.closed();
      case "room":
        return !this.isFull() || this.closed();
      case "done":
        return this.unfinished() === 0;
      case "bytes":
        return this.closed();
    }
  }

  private isFull(): boolean {
    const max = this.words[MAXSIZE]!;
    return max > 0 && this.count() >= max;
  }

  /** The data area as a view of `cap` bytes (the capacity just read under a lock). */
  private dataOf(cap: number): Uint8Array {
    if (this.dataView.length !== cap) this.dataView = new Uint8Array(this.buffer, DATA, cap);
    return this.dataView;
  }

  // ── holding the put lock ───────────────────────────────────────────────────────────────────────

  /**
   * Appends one item (the first `n` bytes of `bytes`) if there is room (items and bytes); else what to
   * wait for. Holding the put lock.
   *
   * Room is judged by the consumers' counters as some producer last read them (SEEN_TAKES, SEEN_OUT,
   * on the producers' line, read and written holding the put lock): the consumers' counters only grow,
   * so what fits by the old reading fits, and the consumers' cache line, which every get writes, is
   * read again only when the old reading says full (the cached index of single-producer rings, shared
   * by all producers). The gap between a reading and now stays within one ring's worth of items and
   * bytes, so the wrapping arithmetic never wraps.
   */
  tryPut(tag: number, bytes: Uint8Array, n: number, beforeCommit?: (position: number) => void): Wait | undefined {
    const w = this.words;
    const max = w[MAXSIZE]!;
    const puts = w[PUTS]!;
    if (max > 0 && ((puts - w[SEEN_TAKES]!) | 0) >= max) {
      const takes = Atomics.load(w, TAKES);
      w[SEEN_TAKES] = takes;
      if (((puts - takes) | 0) >= max) return roomWait;
    }
    const frame = HEADER + n;
    const bytesIn = w[BYTES_IN]!;
    let cap = w[CAPACITY]!;
    if (cap - ((bytesIn - w[SEEN_OUT]!) | 0) < frame) {
      const out = Atomics.load(w, BYTES_OUT);
      w[SEEN_OUT] = out;
      if (cap - ((bytesIn - out) | 0) < frame) {
        if (!this.grow(frame)) return bytesWait;
        cap = w[CAPACITY]!;
      }
    }
    const d = this.dataOf(cap);
    let tail = w[TAIL]!;
    if (tail + HEADER <= cap) {
      d[tail] = n & 0xff;
      d[tail + 1] = (n >>> 8) & 0xff;
      d[tail + 2] = (n >>> 16) & 0xff;
      d[tail + 3] = n >>> 24;
      d[tail + 4] = tag;
      tail += HEADER;
      if (tail === cap) tail = 0;
    } else {
      for (let k = 0; k < 4; k++) {
        d[tail] = (n >>> (8 * k)) & 0xff;
        if (++tail === cap) tail = 0;
      }
      d[tail] = tag;
      if (++tail === cap) tail = 0;
    }
    tail = copyIn(d, bytes, n, tail, cap);
    beforeCommit?.(puts);
    // Journal, then commit: a thread that dies after this point has its put completed by `recover`.
    w[PJ_TAIL] = tail;
    w[PJ_BYTES] = (bytesIn + frame) | 0;
    w[PJ_PUTS] = (puts + 1) | 0;
    w[PJ_FLAG] = 1;
    w[TAIL] = tail;
    w[BYTES_IN] = (bytesIn + frame) | 0;
    Atomics.store(w, PUTS, (puts + 1) | 0);
    w[PJ_FLAG] = 0;
    // Woken inside the critical section on purpose: moving this wake after the unlock (with a bounded
    // nap for data waiters, in case a thread died between the two) measured slower, 4 → 4 tuples 65–86
    // ms against 61–62 ms median on a quiet machine (15 runs × 3 rounds, interleaved); 16 or 1024
    // LOCK_SPINS, a 0.1 ms LOCK_NAP_MS, 256 or 16384 WAIT_SPINS gained nothing either. Runs of one
    // setting spread 55–140 ms on a quiet machine, more under load: scheduling 8 threads on 2 cores.
    this.wake(DATA_SEQ);
    return undefined;
  }

  /** Marks the queue closed and wakes every waiter. Holding the put lock (no put is half done). */
  close(): void {
    Atomics.store(this.words, CLOSED, 1);
    this.wakeAll();
  }

  // ── holding the get lock ───────────────────────────────────────────────────────────────────────

  /** The codec tag of the item the last `tryGet` took. */
  lastTag = 0;
  /** Its position in the queue (items taken before it, wrapping). */
  lastPosition = 0;
  /** What `inPlace.decode` returned, when `tryGet` answered `DECODED`. */
  lastValue: unknown = undefined;
  /** Reused by `tryGet(false)`: most items need no bytes of their own once decoded. */
  private scratch = new Uint8Array(256);

  /**
   * Takes the oldest item, or says what to wait for. Holding the get lock. An item whose tag `inPlace`
   * accepts and whose bytes lie in one piece is decoded straight from the ring, before it is committed
   * as taken (a thread that dies decoding leaves it in the queue): the answer is then `DECODED` and the
   * value `lastValue`. Else its bytes: `own`, a fresh copy; not, a view of this thread's scratch buffer,
   * valid until the next `tryGet`.
   */
  tryGet(own: boolean, inPlace?: InPlace): Uint8Array | Wait {
    const w = this.words;
    const takes = w[TAKES]!;
    // PUTS as some consumer last read it (SEEN_PUTS, consumers' line, under the get lock): while TAKES is
    // behind it an item is there, and the read that saw it made that item's bytes visible to the thread
    // that read it, whose get lock release passed them on to this one. The producers' line, which
    // every put writes, is read again only when the reading is used up.
    if (w[SEEN_PUTS] === takes) {
      const puts = Atomics.load(w, PUTS);
      if (puts === takes) return dataWait;
      w[SEEN_PUTS] = puts;
    }
    this.lastPosition = takes;
    // The capacity changes only holding both locks: stable while this thread holds the get lock.
    const cap = w[CAPACITY]!;
    const d = this.dataOf(cap);
    let head = w[HEAD]!;
    let n: number;
    if (head + HEADER <= cap) {
      n = (d[head]! | (d[head + 1]! << 8) | (d[head + 2]! << 16) | (d[head + 3]! << 24)) >>> 0;
      this.lastTag = d[head + 4]!;
      head += HEADER;
      if (head === cap) head = 0;
    } else {
      n = 0;
      for (let k = 0; k < 4; k++) {
        n |= d[head]! << (8 * k);
        if (++head === cap) head = 0;
      }
      n >>>= 0;
      this.lastTag = d[head]!;
      if (++head === cap) head = 0;
    }
    let bytes: Uint8Array;
    if (inPlace !== undefined && head + n <= cap && inPlace.accepts(this.lastTag)) {
      this.lastValue = inPlace.decode(this.lastTag, d, head);
      bytes = DECODED;
      head += n;
      if (head === cap) head = 0;
    } else {
      if (own) bytes = new Uint8Array(n);
      else {
        if (this.scratch.length < n) this.scratch = new Uint8Array(Math.max(n, 2 * this.scratch.length));
        bytes = this.scratch.subarray(0, n);
      }
      head = copyOut(d, bytes, head, cap);
    }
    const bytesOut = (w[BYTES_OUT]! + HEADER + n) | 0;
    // Journal, then commit. TAKES first: the item's bytes are freed (BYTES_OUT) only after it counts as
    // taken, so a consumer that dies before TAKES leaves its item whole in the queue.
    w[GJ_HEAD] = head;
    w[GJ_BYTES] = bytesOut;
    w[GJ_TAKES] = (takes + 1) | 0;
    w[GJ_FLAG] = 1;
    Atomics.store(w, TAKES, (takes + 1) | 0);
    w[HEAD] = head;
    Atomics.store(w, BYTES_OUT, bytesOut);
    w[GJ_FLAG] = 0;
    // Room waiters sleep only on a bounded queue; one waiting for bytes at MAX_BYTES naps (`waitSync`).
    if (this.bounded) this.wake(ROOM_SEQ);
    return bytes;
  }

  // ── JoinableQueue, lock-free ───────────────────────────────────────────────────────────────────

  /** JoinableQueue.taskDone: false when more were done than put. */
  taskDone(): boolean {
    const w = this.words;
    for (;;) {
      const dones = Atomics.load(w, DONES);
      if (((Atomics.load(w, PUTS) - dones) | 0) <= 0) return false;
      if (Atomics.compareExchange(w, DONES, dones, (dones + 1) | 0) === dones) break;
    }
    // Joiners re-check the count themselves: wake them all, only when there are any.
    this.wake(DONE_SEQ);
    return true;
  }

  /** What `join` waits for while items are unfinished, or undefined when none are. */
  joinWait(): Wait | undefined {
    return this.unfinished() === 0 ? undefined : doneWait;
  }

  // ── growing ────────────────────────────────────────────────────────────────────────────────────

  /**
   * Grows the data area until `frame` more bytes fit (doubling), moving the wrapped-around part of the
   * ring behind the old end so the bytes stay in order. Holding the put lock; takes the get lock too
   * (consumers read the capacity and the bytes). False at `MAX_BYTES`.
   */
  private grow(frame: number): boolean {
    const w = this.words;
    this.lockNow(GET_LOCK, "Queue.put()", "await queue.put()");
    try {
      const cap = w[CAPACITY]!;
      const used = (w[BYTES_IN]! - w[BYTES_OUT]!) | 0;
      if (cap - used >= frame) return true; // a consumer made room meanwhile
      const needed = used + frame;
      if (needed > MAX_BYTES) return false;
      let next = Math.max(cap * 2, 1024);
      while (next < needed) next *= 2;
      next = Math.min(next, MAX_BYTES);
      if (this.buffer.byteLength < DATA + next) (this.buffer as Growable).grow(DATA + next);
      const head = w[HEAD]!;
      let tail = w[TAIL]!;
      // Wrapped (or exactly full): the part at [0, tail) is copied to [cap, cap + tail), fresh bytes;
      // the original stays until the journal says the new tail and capacity hold.
      if (used > 0 && tail <= head) {
        this.dataOf(next).copyWithin(cap, 0, tail);
        tail += cap;
      }
      w[PJ_TAIL] = tail;
      w[PJ_CAP] = next;
      w[PJ_FLAG] = 2;
      w[TAIL] = tail;
      w[CAPACITY] = next;
      w[PJ_FLAG] = 0;
      return true;
    } finally {
      this.unlock(GET_LOCK);
    }
  }

  // ── waking ─────────────────────────────────────────────────────────────────────────────────────

  /**
   * Wakes every sleeper of a sequence word, only when some are counted: takes all the counts (one
   * compare-and-swap: the sleepers word's count to 0 and its epoch to the next), then bumps the word
   * and wakes every thread waiting on it.
   *
   * A sleeper (`waitSync`, `waitAsync`) reads the word, then counts itself (noting the epoch), then
   * checks its condition once more, then sleeps while the word still holds what it read:
   * - counted after this waker read the count: its check comes after this side's commit and sees it
   *   (both sides' steps are sequentially consistent), so skipping the wake loses nothing;
   * - counted before the counts were taken: it read the word before the bump, so it either finds the
   *   word changed when it goes to sleep or is asleep already and is woken here;
   * - done waiting, it takes its count back only in the epoch it counted in, in one compare-and-swap
   *   (`uncount`): a count a waker took is never taken twice, and one added after never lost.
   *
   * Epoch and count share a word because both steps must be atomic. Kept apart (exchange the count,
   * compare the sequence word), a sleeper finishing between a waker's two steps took its count back
   * from zero, and the next sleeper's count then read as none: a consumer slept beside its item (the
   * lost wake-up test/shared/queue-wakeups.test.ts caught under load).
   *
   * Taking all the counts at once is what makes this cheap: the old way (uncount only whom a notify
   * woke) kept a sleeper counted while it was on its way into Atomics.wait, descheduled for
   * milliseconds on a busy machine, and every put meanwhile paid a notify for nobody (up to 8,000 in
   * one 4 → 4 run of 200,000 ints). All are woken, not one: a counted sleeper whose count was taken
   * must not stay asleep, and a notify of one may wake another thread waiting on the same word.
   */
  private wake(word: number): void {
    if (this.takeCounts(word)) this.bump(word);
  }

  /** Close or a dead holder: every word bumped and every waiter woken, counted or not. */
  private wakeAll(): void {
    for (const word of [DATA_SEQ, ROOM_SEQ, DONE_SEQ]) {
      this.takeCounts(word);
      this.bump(word);
    }
  }

  /** Takes all the counts of `word`'s sleepers (count 0, next epoch); false when none were counted. */
  private takeCounts(word: number): boolean {
    const w = this.words;
    for (;;) {
      const c = Atomics.load(w, word + 1);
      if ((c & COUNT_MASK) === 0) return false;
      if (Atomics.compareExchange(w, word + 1, c, nextEpoch(c)) === c) return true;
    }
  }

  private bump(word: number): void {
    Atomics.add(this.words, word, 1);
    Atomics.notify(this.words, word);
  }

  // ── locking and waiting ────────────────────────────────────────────────────────────────────────

  // The two end locks are ./mutex's words (state, owner: what ./owners and `recover` read) with a
  // count of sleepers beside each, instead of ./mutex's CONTENDED state, which stayed set long after
  // the last sleeper had gone, so that every unlock paid a futex wake for nobody. Here an unlock wakes
  // only when a sleeper is counted, and the waker uncounts whom it woke (as `wake` does).
  //
  // Measured with 4 producers on 2 busy cores: a counted sleeper is often not yet asleep (descheduled
  // for milliseconds on its way into Atomics.wait, whose wait list sits behind one process-wide mutex
  // that all these notifies take), and the holder's notifies, thousands meanwhile, found nobody. So a
  // notify that finds nobody makes this thread skip the next QUIET_UNLOCKS wakes, and a lock sleeper
  // never sleeps longer than LOCK_NAP_MS before it tries again: a wake is a shortcut, never needed.

  /** Takes the mutex at `base` in a worker (blocking) or, on the kernel thread, by spinning: holders keep it for a copy. */
  lockNow(base: number, call: string, twin: string): void {
    const w = this.words;
    if (tryLock(w, base, this.what)) {
      this.streak = 0;
      return;
    }
    if (!onKernelThread) {
      if (++this.streak >= YIELD_STREAK) {
        this.streak = 0;
        Atomics.wait(napWord, 0, 0, YIELD_MS);
      }
      // Read before each attempt: a compare-and-swap that fails still takes the line from the holder.
      for (let i = 0; i < LOCK_SPINS; i++) if (Atomics.load(w, base) === FREE && tryLock(w, base, this.what)) return;
      refuseOnKernel(call, twin);
      // Counted while asleep; the unlock that wakes this thread uncounts it (as `wake` does).
      const sleepers = base + SLEEPERS;
      do {
        Atomics.add(w, sleepers, 1);
        if (Atomics.wait(w, base, LOCKED, LOCK_NAP_MS) !== "ok") Atomics.sub(w, sleepers, 1);
      } while (!tryLock(w, base, this.what));
      return;
    }
    // The holder only copies bytes; it can still be descheduled on a busy machine, so allow it long.
    const deadline = performance.now() + SPIN_MS;
    while (!tryLock(w, base, this.what)) {
      if (performance.now() > deadline) {
        throw new KernelThreadBlockingError(`${call}: the ${this.what}'s lock stayed held by another thread for ${SPIN_MS} ms; use ${twin} on the kernel thread`);
      }
    }
  }

  /**
   * Runs `fn` holding the mutex at `base`, awaiting it when contended. `fn` runs in the same
   * synchronous stretch as the acquisition, and the mutex is never held across an `await`: other code
   * on this thread (a `getNowait` between two microtasks) never finds it held by its own thread, which
   * would spin forever.
   */
  async runLocked<R>(base: number, fn: () => R): Promise<R> {
    const w = this.words;
    for (;;) {
      if (tryLock(w, base, this.what)) {
        try {
          return fn();
        } finally {
          this.unlock(base);
        }
      }
      const sleepers = base + SLEEPERS;
      Atomics.add(w, sleepers, 1);
      let woken = false;
      try {
        woken = (await waitOn(w, base, LOCKED, performance.now() + LOCK_NAP_MS)) === "ok";
      } finally {
        if (!woken) Atomics.sub(w, sleepers, 1);
      }
    }
  }

  /** Frees the mutex at `base` (held by this thread), waking one sleeper if one is counted. */
  unlock(base: number): void {
    const w = this.words;
    // Owner first: a thread dying between the two writes must never look like the owner of a lock
    // someone else has just taken.
    w[base + 1] = 0;
    Atomics.store(w, base, FREE);
    this.wakeLock(base, 1);
  }

  /** Lock attempts in a row that found the lock held (see `YIELD_STREAK`). */
  private streak = 0;
  /** This thread's pace when it waits for items (./wait-pace). */
  private readonly pace = new WaitPace();
  /** Unlocks left before this thread tries a lock wake again, after one that found nobody asleep. */
  private quiet = 0;

  /** Wakes `n` sleepers of the lock at `base` if any are counted, uncounting those woken. */
  private wakeLock(base: number, n: number): void {
    const w = this.words;
    // A plain read, not Atomics.load (a call of ~10 ns on every unlock): the lock's wakes are a
    // shortcut, never needed (see above), so a stale 0 costs a sleeper at most the rest of its
    // LOCK_NAP_MS nap, and a stale count one notify for nobody.
    if (w[base + SLEEPERS] === 0) return;
    if (this.quiet > 0 && n === 1) {
      this.quiet--;
      return;
    }
    const woken = Atomics.notify(w, base, n);
    if (woken > 0) Atomics.sub(w, base + SLEEPERS, woken);
    else this.quiet = QUIET_UNLOCKS;
  }

  /**
   * Sleeps until `this.ready(wait)` (after a short spin and a few naps), counted as a sleeper of its sequence word
   * (its count taken by the waker that wakes it: see `wake`).
   */
  waitSync(wait: Wait, deadline: number): WaitResult {
    const w = this.words;
    if (wait.kind === "bytes") return waitSync(w, wait.word, Atomics.load(w, wait.word), Math.min(deadline, performance.now() + BYTES_NAP_MS));
    // A waiter whose spins keep finding items is tailing a stream: it naps STREAM_NAP_MS at once, without
    // the spin, and takes a batch (./wait-pace). Interleaved: 4 → 4 tuples 0.88–0.98 of the time, 1 → 1
    // tuples 0.94; ints, records and a one-item round trip between two workers within ±3%.
    const pace = this.pace;
    let napMs = WAIT_NAP_MS;
    if (wait.kind === "data") {
      if (pace.streaming) napMs = STREAM_NAP_MS;
      else {
        // One load per check, of PUTS, where `ready` takes three: a put moves it. A take by another
        // consumer moves nothing here, and a queue emptied again meanwhile only costs the caller a retry.
        const takes = Atomics.load(w, TAKES);
        for (let i = 0; i < WAIT_SPINS; i++) {
          if (Atomics.load(w, PUTS) !== takes) {
            pace.spinHit();
            return "not-equal";
          }
        }
        pace.spinMissed();
      }
      if (this.closed()) return "not-equal";
    } else for (let i = 0; i < WAIT_SPINS; i++) if (this.ready(wait)) return "not-equal";
    preciseNaps();
    for (let k = 0; k < WAIT_NAPS; k++) {
      const left = remaining(deadline);
      if (left === 0) return "timed-out";
      Atomics.wait(napWord, 0, 0, Math.min(napMs, left));
      if (this.ready(wait)) {
        if (pace.streaming) pace.napped(this.count());
        return "not-equal";
      }
    }
    if (wait.kind === "data") pace.idle();
    // The word first, then the count (see `wake`).
    const seq = Atomics.load(w, wait.word);
    const epoch = Atomics.add(w, wait.word + 1, 1) >>> COUNT_BITS;
    try {
      return this.ready(wait) ? "not-equal" : waitSync(w, wait.word, seq, deadline);
    } finally {
      this.uncount(wait.word, epoch);
    }
  }

  async waitAsync(wait: Wait, deadline: number): Promise<WaitResult> {
    const w = this.words;
    if (wait.kind === "bytes") return waitOn(w, wait.word, Atomics.load(w, wait.word), Math.min(deadline, performance.now() + BYTES_NAP_MS));
    // The word first, then the count (see `wake`).
    const seq = Atomics.load(w, wait.word);
    const epoch = Atomics.add(w, wait.word + 1, 1) >>> COUNT_BITS;
    try {
      return this.ready(wait) ? "not-equal" : await waitOn(w, wait.word, seq, deadline);
    } finally {
      this.uncount(wait.word, epoch);
    }
  }

  /**
   * A sleeper of `word` that counted itself in `epoch`, done waiting: it takes its count back unless
   * a waker took all the counts since (the epoch moved on: see `wake`).
   */
  private uncount(word: number, epoch: number): void {
    const w = this.words;
    for (;;) {
      const c = Atomics.load(w, word + 1);
      if (c >>> COUNT_BITS !== epoch || (c & COUNT_MASK) === 0) return;
      if (Atomics.compareExchange(w, word + 1, c, c - 1) === c) return;
    }
  }

  // ── a dead holder ──────────────────────────────────────────────────────────────────────────────

  /**
   * Thread `tid` exited (kernel thread, ./owners). For each lock it held: roll its journal forward (a
   * put whose bytes were all copied is completed; a get that had counted its item taken is finished;
   * anything earlier left nothing visible), free the lock and wake everyone, who retry. True when it
   * held one. Sleeper counts the dead thread left raised only cost later calls a spare wake-up.
   */
  recover(tid: number): boolean {
    const w = this.words;
    const owned = (base: number) => Atomics.load(w, base) !== FREE && Atomics.load(w, base + 1) === tid + 1;
    const put = owned(PUT_LOCK);
    const get = owned(GET_LOCK);
    if (!put && !get) return false;
    if (put) {
      if (w[PJ_FLAG] === 2) {
        w[TAIL] = w[PJ_TAIL]!;
        w[CAPACITY] = w[PJ_CAP]!;
      } else if (w[PJ_FLAG] === 1) {
        w[TAIL] = w[PJ_TAIL]!;
        w[BYTES_IN] = w[PJ_BYTES]!;
        Atomics.store(w, PUTS, w[PJ_PUTS]!);
      }
      w[PJ_FLAG] = 0;
    }
    if (get) {
      if (w[GJ_FLAG] === 1 && Atomics.load(w, TAKES) === w[GJ_TAKES]) {
        w[HEAD] = w[GJ_HEAD]!;
        Atomics.store(w, BYTES_OUT, w[GJ_BYTES]!);
      }
      w[GJ_FLAG] = 0;
    }
    for (const base of put && get ? [PUT_LOCK, GET_LOCK] : [put ? PUT_LOCK : GET_LOCK]) {
      w[base + 1] = 0;
      Atomics.store(w, base, FREE);
      this.wakeLock(base, Infinity);
    }
    this.wakeAll();
    return true;
  }
}

const SPIN_MS = 2000;
/**
 * A sleepers word: the count of sleepers in its low bits (far more than the threads a process has),
 * the epoch above them, moved on by each waker that takes the counts (wrapping after 2^20 wakes; a
 * sleeper is back from its wake long before).
 */
const COUNT_BITS = 12;
const COUNT_MASK = (1 << COUNT_BITS) - 1;
/** The sleepers word `c` with its counts taken: count 0, the next epoch. */
function nextEpoch(c: number): number {
  return (((c >>> COUNT_BITS) + 1) << COUNT_BITS) | 0;
}
/**
 * A worker whose last `YIELD_STREAK` lock attempts all found the lock held sleeps `YIELD_MS` first,
 * uncounted (no unlock wakes it): the lock's other side is then running on another core, and the two
 * would pass the lock's cache line between them for every item. Out of the way, it leaves the lock to
 * that thread and its core to a thread of the other side. 4 → 4 ints on 2 cores, medians of 4 runs × 11
 * rounds: 40 ms against 51 ms without (streak 2: 43, a 0.2 ms sleep: 42); tuples and records, whose
 * codecs outside the lock leave it less contended, unchanged within the noise.
 */
const YIELD_STREAK = 3;
const YIELD_MS = 0.1;
/** A word nobody changes or notifies: `Atomics.wait` on it is a plain sleep. */
const napWord = new Int32Array(new SharedArrayBuffer(4));

function copyIn(d: Uint8Array, src: Uint8Array, n: number, at: number, cap: number): number {
  if (n <= 64 && at + n <= cap) {
    // Small items: a loop beats two subarray views and a set.
    for (let i = 0; i < n; i++) d[at + i] = src[i]!;
  } else {
    const first = Math.min(n, cap - at);
    d.set(src.subarray(0, first), at);
    if (first < n) d.set(src.subarray(first, n), 0);
  }
  const end = at + n;
  return end >= cap ? end - cap : end;
}

function copyOut(d: Uint8Array, dst: Uint8Array, at: number, cap: number): number {
  const n = dst.length;
  if (n <= 16 && at + n <= cap) {
    for (let i = 0; i < n; i++) dst[i] = d[at + i]!;
  } else {
    const first = Math.min(n, cap - at);
    dst.set(d.subarray(at, at + first));
    if (first < n) dst.set(d.subarray(0, n - first), first);
  }
  const end = at + n;
  return end >= cap ? end - cap : end;
}
