import { markSharedInUse } from "./in-use";
import { SHARED, type Branded } from "./brand";
import type { Lock } from "./lock";
import { lockFrom, noLock, type SynchronizedOptions } from "./lock-option";
import type { RLock } from "./rlock";
import { bytesPerElement, checkElement, checkTypecode, isBigIntCode, viewOf, type ElementOf, type Typecode, type TypedArrayOf } from "./typecodes";

/** Options of `Value(typecode, init, options)`. */
export type ValueOptions = SynchronizedOptions;

/**
 * One number (or bigint) in shared memory, seen by every worker it is shared with. Made by `Value()`
 * or `RawValue()`; see `typecodes.ts` for what each typecode stores.
 */
export class SharedValue<T extends Typecode = Typecode> implements Branded {
  declare readonly [SHARED]: "Value";
  readonly typecode: T;
  /** @internal */
  readonly view: TypedArrayOf[T];
  /** @internal */
  readonly lock: Lock | RLock | null;

  /** @internal use `Value()` / `RawValue()` */
  constructor(typecode: T, init: ElementOf<T> | undefined, lock: Lock | RLock | null, shared?: SharedArrayBuffer, byteOffset = 0) {
    markSharedInUse();
    checkTypecode(typecode);
    this.typecode = typecode;
    this.lock = lock;
    this.view = viewOf(typecode, shared ?? new SharedArrayBuffer(bytesPerElement(typecode)), byteOffset, 1);
    if (init !== undefined) this.value = init;
  }

  /** The value. A plain read or write: `v.value++` is not atomic, wrap it in `v.getLock().withLock(…)`. */
  get value(): ElementOf<T> {
    return this.view[0] as ElementOf<T>;
  }

  set value(v: ElementOf<T>) {
    if (typeof v !== (isBigIntCode(this.typecode) ? "bigint" : "number")) checkElement(this.typecode, v);
    (this.view as unknown as { [i: number]: ElementOf<T> })[0] = v;
  }

  /** The lock guarding it (throws `NoLockError` when made with `{ lock: false }` or by `RawValue`). */
  getLock(): Lock | RLock {
    if (this.lock === null) throw noLock("Value");
    return this.lock;
  }

  /** A one-element typed array over the same memory (no copy), for `Atomics` and hot loops. */
  toTypedArray(): TypedArrayOf[T] {
    return this.view;
  }

  toString(): string {
    return `Value('${this.typecode}', ${String(this.value)})`;
  }
}
Object.defineProperty(SharedValue.prototype, SHARED, { value: "Value" });

export interface ValueFactory {
  /**
   * A shared value, like Python's `multiprocessing.Value(typecode, value, lock=True)`; `new` is optional.
   * @param typecode one of `b B h H i I l L q Q f d` (64-bit `l L q Q` hold bigints)
   * @param init the initial value (default 0 / 0n); out-of-range values wrap as the typed array does
   * @example
   * const counter = Value("i", 0);
   * counter.getLock().withLock(() => counter.value++); // in a worker
   */
  <T extends Typecode>(typecode: T, init?: ElementOf<T>, options?: ValueOptions): SharedValue<T>;
  new <T extends Typecode>(typecode: T, init?: ElementOf<T>, options?: ValueOptions): SharedValue<T>;
  readonly prototype: SharedValue;
}

export const Value = function Value<T extends Typecode>(typecode: T, init?: ElementOf<T>, options?: ValueOptions): SharedValue<T> {
  checkTypecode(typecode);
  return new SharedValue(typecode, init, lockFrom(options?.lock, "Value"));
} as unknown as ValueFactory;
Object.defineProperty(Value, "prototype", { value: SharedValue.prototype });

export interface RawValueFactory {
  /**
   * A shared value without a lock, like Python's `multiprocessing.sharedctypes.RawValue`.
   * @example const hits = RawValue("I", 0);
   */
  <T extends Typecode>(typecode: T, init?: ElementOf<T>): SharedValue<T>;
  new <T extends Typecode>(typecode: T, init?: ElementOf<T>): SharedValue<T>;
}

export const RawValue = function RawValue<T extends Typecode>(typecode: T, init?: ElementOf<T>): SharedValue<T> {
  checkTypecode(typecode);
  return new SharedValue(typecode, init, null);
} as unknown as RawValueFactory;
