import { markSharedInUse } from "./in-use";
import { Empty, Full, QueueClosedError } from "../errors";
import { Tag, decodeItem, decodeItemAt, decodesInPlace, encodeItem, encodeItemScratch, needsOwnBytes, type Encoded } from "./item-codec";
import { SHARED, type QueueKind } from "./brand";
import { DECODED, GET_LOCK, MAX_BYTES, PUT_LOCK, Ring, type InPlace, type Wait } from "./ring";
import { listenForItemBuffers, postItemBuffers, unpackSharedItem } from "./item-shared";
import { deadlineOf, refuseOnKernel, remaining } from "./wait";
import { QueueIterator } from "./queue-iterator";

/** Options of `new Queue(…)`. */
export interface QueueOptions {
  /**
   * Items the queue holds at most; `put` waits while it is full. `0` (or less) means no limit, as in Python.
   * @default 0
   * @example new Queue({ maxsize: 100 })
   */
  maxsize?: number;
  /**
   * Bytes the queue's shared buffer starts with. It grows (doubling, up to 1 GiB) when an item does not
   * fit, so this is a tuning knob, never a limit: raise it when you know items are large.
   * @default 65536
   * @example new Queue({ bytes: 1 << 20 })
   */
  bytes?: number;
}

/** Options of a waiting `put` or `get`. */
export interface QueueWaitOptions {
  /**
   * Milliseconds to wait at most for room (`put`) or an item (`get`); then `Full` / `Empty` is thrown,
   * as in Python (which counts seconds). `0` does not wait.
   * @default undefined (wait forever)
   * @example await queue.get({ timeout: 1_000 })
   */
  timeout?: number;
}

/**
 * A first-in first-out queue between any number of worker threads and the kernel thread, like Python's
 * `multiprocessing.Queue`. It lives in one SharedArrayBuffer: hand it to workers (captured by a task,
 * in `context`, `initargs`, as an item or argument, or returned from a task) and every thread uses the
 * same queue. Shared objects inside items (a `{ lock, counter }` record, an array of Values, another
 * Queue) arrive as the same shared objects; hand the queue to its workers before putting such items.
 *
 * Items are copied as structured clone copies them (numbers, strings, records, arrays, Dates, Maps,
 * Sets, BigInts, typed arrays, errors, cycles): what `get` returns equals what `put` was given.
 * Functions, symbols and sockets cannot cross: `put` refuses them with `NotSerializableError`.
 *
 * On the kernel thread `await put(…)` and `await get(…)` wait without blocking it. Inside workers,
 * `putSync` / `getSync` block, and `for (const x of queue)` reads until the queue is closed.
 *
 * @example
 * const tasks = new mp.Queue<number>();
 * for (let i = 0; i < 10; i++) tasks.putNowait(i);
 * const done = await pool.map(() => {
 *   const mine: number[] = [];
 *   for (;;) {
 *     try { mine.push(tasks.getNowait()); } catch (e) { if (e instanceof mp.Empty) break; throw e; }
 *   }
 *   return mine;
 * }, [1, 2]);
 */
export class Queue<T = unknown> implements AsyncIterable<T>, Iterable<T> {
  declare readonly [SHARED]: QueueKind;
  /** @internal */
  readonly ring: Ring;

  constructor(options?: number | QueueOptions, /** @internal */ shared?: SharedArrayBuffer) {
    markSharedInUse();
    const opts: QueueOptions = typeof options === "number" ? { maxsize: options } : (options ?? {});
    const maxsize = opts.maxsize ?? 0;
    if (!Number.isInteger(maxsize)) throw new RangeError(`maxsize must be a whole number of items (0 for no limit), not ${String(maxsize)}`);
    const bytes = opts.bytes ?? 65536;
    if (!Number.isInteger(bytes) || bytes < 16) throw new RangeError(`bytes must be a whole number ≥ 16, not ${String(bytes)}`);
    this.ring = new Ring(new.target.name, shared ?? { maxsize: Math.max(0, maxsize), bytes });
    listenForItemBuffers();
    Object.defineProperty(this, SHARED, { value: this.kind });
  }

  /** @internal */
  protected get kind(): QueueKind {
    return "Queue";
  }

  /** The most items it holds (`0`: no limit). */
  get maxsize(): number {
    return this.ring.maxsize;
  }

  /** Items in the queue now. Exact (Python's is approximate), but another thread may change it at once. */
  qsize(): number {
    return this.ring.count();
  }

  empty(): boolean {
    return this.ring.count() === 0;
  }

  full(): boolean {
    const max = this.ring.maxsize;
    return max > 0 && this.ring.count() >= max;
  }

  /** True after `close()`, in every thread. */
  get closed(): boolean {
    return this.ring.closed();
  }

  /**
   * Closes the queue for every thread: `put` fails from now on with `QueueClosedError`; `get` still
   * returns what is left, then fails with `QueueClosedError` (`getNowait` with `Empty`), and
   * `for await` / `for … of` loops end. Waiting `get`s wake. Closing twice is harmless.
   */
  close(): void {
    this.locked(PUT_LOCK, "Queue.close()", "await queue.put() / get()", () => this.ring.close());
  }

  /**
   * Adds `item`, waiting while the queue is full (at most `timeout` ms, then `Full`). Safe on the kernel thread.
   * @throws NotSerializableError when the item cannot be copied (nothing is added)
   * @throws QueueClosedError after `close()`
   */
  async put(item: T, options?: QueueWaitOptions): Promise<void> {
    const bytes = this.encode(item, false);
    const deadline = deadlineOf(options?.timeout);
    for (;;) {
      const wait = await this.ring.runLocked(PUT_LOCK, () => this.tryPut(bytes));
      if (wait === undefined) return;
      if (remaining(deadline) === 0) throw this.full_(options?.timeout);
      await this.ring.waitAsync(wait, deadline);
    }
  }

  /** `put`, blocking: for workers. On the kernel thread it throws instead of waiting (use `await put`). */
  putSync(item: T, options?: QueueWaitOptions): void {
    const bytes = this.encode(item, true);
    const deadline = options === undefined ? Infinity : deadlineOf(options.timeout);
    for (;;) {
      const wait = this.putLocked(bytes, "Queue.putSync()");
      if (wait === undefined) return;
      if (remaining(deadline) === 0) throw this.full_(options?.timeout);
      refuseOnKernel("Queue.putSync()", "await queue.put()");
      this.ring.waitSync(wait, deadline);
    }
  }

  /** Adds `item` at once, or throws `Full`, like Python's `put_nowait`. Never waits: fine on the kernel thread. */
  putNowait(item: T): void {
    const bytes = this.encode(item, true);
    const wait = this.putLocked(bytes, "Queue.putNowait()");
    if (wait !== undefined) throw this.full_(0);
  }

  /**
   * Takes the oldest item, waiting while the queue is empty (at most `timeout` ms, then `Empty`). Safe
   * on the kernel thread.
   * @throws QueueClosedError when the queue is closed and drained
   */
  async get(options?: QueueWaitOptions): Promise<T> {
    const deadline = deadlineOf(options?.timeout);
    for (;;) {
      // Own bytes, and the tag read under the lock: other code on this thread may run before the await resumes.
      const got = await this.ring.runLocked(GET_LOCK, () => {
        const bytes = this.tryGet(true, true);
        if (bytes === DECODED) return { value: this.ring.lastValue as T };
        return bytes instanceof Uint8Array ? { tag: this.ring.lastTag as Tag, position: this.ring.lastPosition, bytes } : bytes;
      });
      if ("value" in got) return got.value as T;
      if ("bytes" in got) return this.decode(got.tag, got.position, got.bytes);
      if (remaining(deadline) === 0) throw this.empty_(options?.timeout);
      await this.ring.waitAsync(got, deadline);
    }
  }

  /** `get`, blocking: for workers. On the kernel thread it throws instead of waiting (use `await get`). */
  getSync(options?: QueueWaitOptions): T {
    const deadline = options === undefined ? Infinity : deadlineOf(options.timeout);
    for (;;) {
      const got = this.getLocked(true, "Queue.getSync()");
      if (got instanceof Uint8Array) return this.take(got);
      if (remaining(deadline) === 0) throw this.empty_(options?.timeout);
      refuseOnKernel("Queue.getSync()", "await queue.get()");
      this.ring.waitSync(got, deadline);
    }
  }

  /** Takes the oldest item at once, or throws `Empty` (also once closed and drained), like Python's `get_nowait`. */
  getNowait(): T {
    const got = this.getLocked(false, "Queue.getNowait()");
    if (got instanceof Uint8Array) return this.take(got);
    throw this.empty_(0);
  }

  /** `for await (const item of queue)`: every item until the queue is closed and drained. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      let item: T;
      try {
        item = await this.get();
      } catch (error) {
        if (error instanceof QueueClosedError) return;
        throw error;
      }
      yield item;
    }
  }

  /** `for (const item of queue)` inside a worker (blocking): every item until the queue is closed and drained. */
  [Symbol.iterator](): IterableIterator<T> {
    return new QueueIterator(this);
  }

  /** @internal Runs `fn` holding one of the ring's two mutexes (`PUT_LOCK` or `GET_LOCK`). */
  protected locked<R>(base: number, call: string, twin: string, fn: () => R): R {
    this.ring.lockNow(base, call, twin);
    try {
      return fn();
    } finally {
      this.ring.unlock(base);
    }
  }

  /** `put` and `putSync` in one synchronous stretch: `tryPut` holding the put lock (no closure: the hot path). */
  private putLocked(e: Encoded, call: string): Wait | undefined {
    this.ring.lockNow(PUT_LOCK, call, "await queue.put()");
    try {
      return this.tryPut(e);
    } finally {
      this.ring.unlock(PUT_LOCK);
    }
  }

  /** `getSync` and `getNowait`: `tryGet` holding the get lock. */
  private getLocked(strict: boolean, call: string): Uint8Array | Wait {
    this.ring.lockNow(GET_LOCK, call, "await queue.get()");
    try {
      return this.tryGet(strict, false);
    } finally {
      this.ring.unlock(GET_LOCK);
    }
  }

  /** `scratch`: the caller copies the bytes into the ring in this synchronous stretch (./item-codec `encodeItemScratch`). */
  private encode(item: T, scratch: boolean): Encoded {
    const encoded = scratch ? encodeItemScratch(item) : encodeItem(item);
    if ((encoded.length ?? encoded.body.length) + 5 > MAX_BYTES) throw new RangeError(`this item takes ${encoded.body.length} bytes; a queue holds items up to 1 GiB: send it in parts`);
    return encoded;
  }

  private tryPut(e: Encoded): Wait | undefined {
    if (this.ring.closedForPut()) throw new QueueClosedError(`put on a closed ${this.ring.what}: nothing more can be added after close()`);
    const buffers = e.buffers;
    if (buffers === undefined) return this.ring.tryPut(e.tag, e.body, e.length ?? e.body.length);
    return this.ring.tryPut(e.tag, e.body, e.body.length, (position) => postItemBuffers(this.ring.id, position, buffers));
  }

  /** The item a synchronous `tryGet` took: decoded now, before anything else can reuse the scratch bytes. */
  private take(bytes: Uint8Array): T {
    if (bytes === DECODED) return this.ring.lastValue as T;
    const tag = this.ring.lastTag as Tag;
    return this.decode(tag, this.ring.lastPosition, needsOwnBytes(tag) ? bytes.slice() : bytes);
  }

  private decode(tag: Tag, position: number, bytes: Uint8Array): T {
    if (tag === Tag.V8Shared) return unpackSharedItem(this.ring.id, position, bytes) as T;
    return decodeItem(tag, bytes) as T;
  }

  /** `strict`: a closed, drained queue throws QueueClosedError (get); else it is just empty (getNowait). */
  private tryGet(strict: boolean, own: boolean): Uint8Array | Wait {
    const got = this.ring.tryGet(own, inPlace);
    if (got instanceof Uint8Array || !strict || !this.ring.closed()) return got;
    // Empty, then closed: a put may have committed between the two reads (before the close), so look
    // once more. Closed, then empty means drained: no put commits after close.
    const again = this.ring.tryGet(own, inPlace);
    if (again instanceof Uint8Array) return again;
    throw new QueueClosedError(`get on a closed, drained ${this.ring.what}: no item will come (a for await loop ends here)`);
  }

  private full_(timeout: number | undefined): Full {
    const waited = timeout === undefined || timeout === 0 ? "" : ` after waiting ${timeout} ms`;
    return new Full(`the ${this.ring.what} is full (maxsize ${this.ring.maxsize})${waited}: a consumer must get items first, or make it with a larger maxsize`);
  }

  private empty_(timeout: number | undefined): Empty {
    const waited = timeout === undefined || timeout === 0 ? "" : ` after waiting ${timeout} ms`;
    return new Empty(`the ${this.ring.what} is empty${this.ring.closed() ? " and closed" : ""}${waited}`);
  }
}

/** The item codecs whose items `Ring.tryGet` decodes where they lie: no copy out of the ring. */
const inPlace: InPlace = { accepts: decodesInPlace, decode: decodeItemAt };
