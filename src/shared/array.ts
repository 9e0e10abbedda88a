/**
 * Shared arrays. A Lanes `Array` IS a typed array (a subclass of the typecode's typed array over a
 * SharedArrayBuffer), so `arr[i]`, `length`, iteration, `slice`, `Atomics.add(arr, i, 1)` and every
 * typed array method work at native speed.
 *
 * The trade-off: `arr[i]` is the typed array's own indexing, so an out-of-range `arr[i]` reads
 * `undefined` and an out-of-range write is dropped silently, as for every typed array. Python raises
 * `IndexError`; so do `getItem(i)` / `setItem(i, v)` here (they also check the value's type).
 *
 * Measured (bench/cases/shared-index.ts, Node 20): `arr[i]` and `toTypedArray()` loops run at a plain
 * Float64Array's speed; `getItem`/`setItem` ~10-15x slower, because V8 does not inline method calls
 * on typed array subclasses. The alternatives were worse: a Proxy checking every `arr[i]` measured
 * ~250x slower (and methods through it ~30x); a wrapper object with fast checked methods (~1.5x)
 * cannot be indexed with brackets at all. So the brackets stay native and the checked access is
 * opt-in: use `arr[i]` in hot loops, `getItem`/`setItem` where an `IndexError` matters more.
 */
import { markSharedInUse } from "./in-use";
import { IndexError } from "../errors";
import { SHARED } from "./brand";
import type { Lock } from "./lock";
import { lockFrom, noLock, type SynchronizedOptions } from "./lock-option";
import type { RLock } from "./rlock";
import { bytesPerElement, checkElement, checkTypecode, isBigIntCode, type ElementOf, type Typecode, type TypedArrayOf } from "./typecodes";

const LOCK = Symbol("lanes.lock");

/** What a shared array adds to its typed array. */
export interface SharedArrayMethods<T extends Typecode> {
  readonly typecode: T;
  /** The lock guarding it (throws `NoLockError` when made with `{ lock: false }` or by `RawArray`). */
  getLock(): Lock | RLock;
  /** `arr[i]`, but an index outside `0 … length-1` throws `IndexError` (as in Python). */
  getItem(i: number): ElementOf<T>;
  /** `arr[i] = v`, but an index outside `0 … length-1` throws `IndexError`, a value of the wrong type `TypecodeError`. */
  setItem(i: number, v: ElementOf<T>): void;
  /** A plain typed array over the same memory (no copy): the fastest loop, and what `Atomics` wants. */
  toTypedArray(): TypedArrayOf[T];
}

/** A shared array of typecode `T`: its typed array plus `SharedArrayMethods`. */
export type SharedArray<T extends Typecode = Typecode> = TypedArrayOf[T] & SharedArrayMethods<T>;

type Base = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => TypedArrayOf[Typecode];
interface Internals {
  [LOCK]: Lock | RLock | null;
  length: number;
  [i: number]: number | bigint;
}

function outOfRange(i: number, length: number): IndexError {
  return new IndexError(`index ${i} is out of range for a shared Array of length ${length} (valid: 0 to ${length - 1})`);
}

function subclass(base: Base, code: Typecode): Base {
  const Shared = class extends (base as unknown as new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => Float64Array) {
    // Derived arrays (slice, map, filter, subarray) are plain typed arrays, not shared Arrays.
    static get [Symbol.species](): Base {
      return base;
    }
  };
  // Shown by console.log and the notebook: `SharedFloat64Array(3) [1, 2, 3]`.
  Object.defineProperty(Shared, "name", { value: `Shared${base.name}` });
  // One class per typecode, so the methods know their element type without reading the instance.
  const kind = isBigIntCode(code) ? "bigint" : "number";
  const proto = Shared.prototype as unknown as Internals & SharedArrayMethods<Typecode>;
  Object.defineProperties(proto, {
    [SHARED]: { value: "Array" },
    typecode: { get: () => code },
    getLock: {
      value(this: Internals) {
        const lock = this[LOCK];
        if (lock === null) throw noLock("Array");
        return lock;
      },
    },
    getItem: {
      value(this: Internals, i: number) {
        // `i >>> 0 === i`: a non-negative integer below 2^32 (no NaN, no fraction).
        if (i >>> 0 !== i || i >= this.length) throw outOfRange(i, this.length);
        return this[i];
      },
    },
    setItem: {
      value(this: Internals, i: number, v: number | bigint) {
        if (i >>> 0 !== i || i >= this.length) throw outOfRange(i, this.length);
        if (typeof v !== kind) checkElement(code, v);
        this[i] = v;
      },
    },
    toTypedArray: {
      value(this: TypedArrayOf[Typecode]) {
        return new base(this.buffer as SharedArrayBuffer, this.byteOffset, this.length);
      },
    },
  });
  return Shared;
}

const CLASSES = new Map<Typecode, Base>();
const BASES: Record<Typecode, Base> = {
  b: Int8Array, B: Uint8Array, h: Int16Array, H: Uint16Array, i: Int32Array, I: Uint32Array,
  l: BigInt64Array, L: BigUint64Array, q: BigInt64Array, Q: BigUint64Array, f: Float32Array, d: Float64Array,
};

function classOf(code: Typecode): Base {
  let c = CLASSES.get(code);
  if (c === undefined) CLASSES.set(code, (c = subclass(BASES[code], code)));
  return c;
}

/** @internal Builds a shared array over existing memory (the transfer handler's revive step). */
export function sharedArrayOver<T extends Typecode>(code: T, buffer: SharedArrayBuffer, byteOffset: number, length: number, lock: Lock | RLock | null): SharedArray<T> {
  markSharedInUse();
  const arr = new (classOf(code))(buffer, byteOffset, length) as unknown as Internals;
  // Own, non-enumerable: keeps it out of for…in, Object.keys and console output.
  Object.defineProperty(arr, LOCK, { value: lock });
  return arr as unknown as SharedArray<T>;
}

/** @internal */
export function lockOfArray(arr: SharedArray): Lock | RLock | null {
  return (arr as unknown as Internals)[LOCK];
}

function make<T extends Typecode>(code: T, sizeOrInit: number | Iterable<ElementOf<T>>, lock: Lock | RLock | null, what: string): SharedArray<T> {
  checkTypecode(code);
  let init: ElementOf<T>[] | undefined;
  let length: number;
  if (typeof sizeOrInit === "number") {
    if (!Number.isInteger(sizeOrInit) || sizeOrInit < 0) throw new RangeError(`${what}'s size must be an integer >= 0, got ${sizeOrInit}`);
    length = sizeOrInit;
  } else {
    init = [...sizeOrInit];
    for (const v of init) checkElement(code, v);
    length = init.length;
  }
  const arr = sharedArrayOver(code, new SharedArrayBuffer(Math.max(1, length) * bytesPerElement(code)), 0, length, lock);
  if (init !== undefined) (arr as unknown as { set(a: ArrayLike<unknown>): void }).set(init);
  return arr;
}

export interface ArrayFactory {
  /**
   * A shared array, like Python's `multiprocessing.Array(typecode, size_or_initializer, lock=True)`
   * (also exported as `SharedArray`); `new` is optional. It is a typed array: see array.ts for
   * `arr[i]` (unchecked, native speed) versus `getItem`/`setItem` (checked, `IndexError`).
   * @example
   * const hist = Array("i", 10);          // ten zeros
   * const xs = Array("d", [0.5, 1.5]);    // from values
   * hist.getLock().withLock(() => hist[3]++);
   */
  <T extends Typecode>(typecode: T, sizeOrInit: number | Iterable<ElementOf<T>>, options?: SynchronizedOptions): SharedArray<T>;
  new <T extends Typecode>(typecode: T, sizeOrInit: number | Iterable<ElementOf<T>>, options?: SynchronizedOptions): SharedArray<T>;
}

// Named SharedArrayFactory inside: a module-level `Array` would shadow the global one in this file.
export const SharedArrayFactory = function Array<T extends Typecode>(typecode: T, sizeOrInit: number | Iterable<ElementOf<T>>, options?: SynchronizedOptions): SharedArray<T> {
  return make(typecode, sizeOrInit, lockFrom(options?.lock, "Array"), "Array");
} as unknown as ArrayFactory;

export interface RawArrayFactory {
  /**
   * A shared array without a lock, like Python's `multiprocessing.sharedctypes.RawArray`.
   * @example const grid = RawArray("d", 1_000_000);
   */
  <T extends Typecode>(typecode: T, sizeOrInit: number | Iterable<ElementOf<T>>): SharedArray<T>;
  new <T extends Typecode>(typecode: T, sizeOrInit: number | Iterable<ElementOf<T>>): SharedArray<T>;
}

export const RawArray = function RawArray<T extends Typecode>(typecode: T, sizeOrInit: number | Iterable<ElementOf<T>>): SharedArray<T> {
  return make(typecode, sizeOrInit, null, "RawArray");
} as unknown as RawArrayFactory;

/** Whether `v` is a Lanes shared Array (made by any copy of Lanes). */
export function isSharedArray(v: unknown): v is SharedArray {
  return ArrayBuffer.isView(v) && (v as { [SHARED]?: unknown })[SHARED] === "Array";
}
