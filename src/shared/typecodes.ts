/**
 * Python's `array`/`ctypes` typecodes and the typed array each one maps to.
 *
 * | code | C type | typed array | JavaScript type |
 * |---|---|---|---|
 * | `b` | signed char | `Int8Array` | number, -128..127 |
 * | `B` | unsigned char | `Uint8Array` | number, 0..255 |
 * | `h` | short | `Int16Array` | number |
 * | `H` | unsigned short | `Uint16Array` | number |
 * | `i` | int | `Int32Array` | number |
 * | `I` | unsigned int | `Uint32Array` | number |
 * | `l` | long (64-bit on Linux and macOS) | `BigInt64Array` | bigint |
 * | `L` | unsigned long | `BigUint64Array` | bigint |
 * | `q` | long long | `BigInt64Array` | bigint |
 * | `Q` | unsigned long long | `BigUint64Array` | bigint |
 * | `f` | float | `Float32Array` | number (rounded to float32) |
 * | `d` | double | `Float64Array` | number |
 *
 * `l`/`L` are 64-bit, as C `long` is on the Linux and macOS CPython builds notebooks run on: a value
 * that fits in Python's `Value('l')` fits here too. That makes them BigInt codes; use `i` for a
 * number-valued 32-bit integer.
 *
 * A value that does not fit wraps exactly as the typed array stores it (Python raises `OverflowError`
 * instead): `Value('b', 200).value === -56`, fractions truncate toward zero, `NaN` becomes `0`.
 */
import { TypecodeError } from "../errors";

export type NumberTypecode = "b" | "B" | "h" | "H" | "i" | "I" | "f" | "d";
export type BigIntTypecode = "l" | "L" | "q" | "Q";
export type Typecode = NumberTypecode | BigIntTypecode;

/** The JavaScript type a typecode's elements have. */
export type ElementOf<T extends Typecode> = T extends BigIntTypecode ? bigint : number;

/** The typed array class behind each typecode. */
export interface TypedArrayOf {
  b: Int8Array; B: Uint8Array; h: Int16Array; H: Uint16Array; i: Int32Array; I: Uint32Array;
  l: BigInt64Array; L: BigUint64Array; q: BigInt64Array; Q: BigUint64Array; f: Float32Array; d: Float64Array;
}

export type AnyTypedArray = TypedArrayOf[Typecode];

type Ctor = { new (buffer: SharedArrayBuffer, byteOffset?: number, length?: number): AnyTypedArray; readonly BYTES_PER_ELEMENT: number };

const CTORS: Record<Typecode, Ctor> = {
  b: Int8Array, B: Uint8Array, h: Int16Array, H: Uint16Array, i: Int32Array, I: Uint32Array,
  l: BigInt64Array, L: BigUint64Array, q: BigInt64Array, Q: BigUint64Array, f: Float32Array, d: Float64Array,
};

/** Every typecode Lanes accepts, in Python's order. */
export const TYPECODES: readonly Typecode[] = Object.freeze(Object.keys(CTORS) as Typecode[]);

export function isTypecode(code: unknown): code is Typecode {
  return typeof code === "string" && Object.prototype.hasOwnProperty.call(CTORS, code);
}

/** Throws a `TypecodeError` naming the valid codes unless `code` is one. */
export function checkTypecode(code: unknown): asserts code is Typecode {
  if (isTypecode(code)) return;
  throw new TypecodeError(
    `unknown typecode ${JSON.stringify(code)}: use one of ${TYPECODES.map((c) => `'${c}'`).join(" ")} ` +
      "('i' int32, 'd' float64, 'q' int64 as BigInt …; see the typecode table in the Lanes docs)",
  );
}

export function isBigIntCode(code: Typecode): code is BigIntTypecode {
  return code === "l" || code === "L" || code === "q" || code === "Q";
}

export function bytesPerElement(code: Typecode): number {
  return CTORS[code].BYTES_PER_ELEMENT;
}

/** A typed array of `code` over `buffer` (a view, no copy). */
export function viewOf<T extends Typecode>(code: T, buffer: SharedArrayBuffer, byteOffset = 0, length?: number): TypedArrayOf[T] {
  return new CTORS[code](buffer, byteOffset, length) as TypedArrayOf[T];
}

/**
 * Throws a `TypecodeError` unless `v` has the JavaScript type `code` stores: a bigint for the 64-bit
 * codes, a number for the others. Range is not checked: out-of-range values wrap as the typed array does.
 */
export function checkElement(code: Typecode, v: unknown): void {
  const big = isBigIntCode(code);
  if (big ? typeof v === "bigint" : typeof v === "number") return;
  const wants = big ? `a bigint (write ${typeof v === "number" && Number.isInteger(v) ? `${v}n` : "BigInt(x)"})` : "a number";
  const hint = big ? "" : typeof v === "bigint" ? ` (write Number(${v}n), or use a 64-bit code 'q'/'Q')` : "";
  throw new TypecodeError(`typecode '${code}' stores ${big ? "bigint" : "number"} values: got ${describe(v)}, give ${wants}${hint}`);
}

function describe(v: unknown): string {
  if (typeof v === "bigint") return `the bigint ${v}n`;
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  if (typeof v === "number") return `the number ${v}`;
  return v === null ? "null" : typeof v;
}
