import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IndexError, NoLockError, TypecodeError } from "../../src/errors";
import { Lock, RLock, RawArray, RawValue, SharedArrayFactory as SharedArray, TYPECODES, Value, type Typecode } from "../../src/shared";

const NUMBER_CODES = ["b", "B", "h", "H", "i", "I", "f", "d"] as const;
const BIG_CODES = ["l", "L", "q", "Q"] as const;
const TYPED: Record<Typecode, { new (n: number): { [i: number]: number | bigint } }> = {
  b: Int8Array, B: Uint8Array, h: Int16Array, H: Uint16Array, i: Int32Array, I: Uint32Array,
  l: BigInt64Array, L: BigUint64Array, q: BigInt64Array, Q: BigUint64Array, f: Float32Array, d: Float64Array,
};

describe("typecodes", () => {
  it("are Python's twelve", () => {
    expect(TYPECODES.join("")).toBe("bBhHiIlLqQfd");
  });

  it("an unknown typecode names the valid ones", () => {
    expect(() => Value("x" as Typecode, 0)).toThrow(TypecodeError);
    expect(() => SharedArray("c" as Typecode, 3)).toThrow(/'b' 'B' 'h' 'H' 'i' 'I' 'l' 'L' 'q' 'Q' 'f' 'd'/);
  });

  it("a BigInt code given a number says it wants a bigint, and the reverse", () => {
    expect(() => Value("q", 5 as unknown as bigint)).toThrow(/stores bigint values.*5n/);
    expect(() => Value("i", 5n as unknown as number)).toThrow(/stores number values.*Number\(5n\)/);
    const a = SharedArray("Q", 2);
    expect(() => a.setItem(0, 1 as unknown as bigint)).toThrow(TypecodeError);
    expect(() => SharedArray("d", ["1" as unknown as number])).toThrow(TypecodeError);
  });

  it("number values round-trip and wrap exactly as the typed array does", () => {
    for (const code of NUMBER_CODES) {
      fc.assert(
        fc.property(fc.oneof(fc.double(), fc.integer({ min: -(2 ** 40), max: 2 ** 40 })), (x) => {
          const ref = new TYPED[code](1);
          ref[0] = x;
          const v = Value(code, x);
          const a = SharedArray(code, [x, x]);
          a.setItem(1, x);
          expect(Object.is(v.value, ref[0])).toBe(true);
          expect(Object.is(a[0], ref[0])).toBe(true);
          expect(Object.is(a.getItem(1), ref[0])).toBe(true);
        }),
        { numRuns: 200 },
      );
    }
  });

  it("bigint values round-trip and wrap exactly as the typed array does", () => {
    for (const code of BIG_CODES) {
      fc.assert(
        fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), (x) => {
          const ref = new TYPED[code](1);
          ref[0] = x;
          const v = RawValue(code, x);
          v.value = x;
          expect(v.value).toBe(ref[0]);
          expect(SharedArray(code, [x])[0]).toBe(ref[0]);
        }),
        { numRuns: 200 },
      );
    }
  });

  it("l and L are 64-bit (C long on Linux), so they hold bigints", () => {
    expect(Value("l", 2n ** 40n).value).toBe(2n ** 40n);
    expect(Value("L", -1n).value).toBe(2n ** 64n - 1n);
  });

  it("documented wrap examples", () => {
    expect(Value("b", 200).value).toBe(-56);
    expect(Value("i", 2.9).value).toBe(2);
    expect(Value("I", -1).value).toBe(4294967295);
    expect(Value("h", NaN).value).toBe(0);
  });
});

describe("Array bounds", () => {
  it("getItem/setItem throw IndexError outside 0..length-1; [] is the typed array's own", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: -100, max: 100 }), (n, i) => {
        const a = SharedArray("i", n);
        if (i >= 0 && i < n) {
          a.setItem(i, 7);
          expect(a.getItem(i)).toBe(7);
          expect(a[i]).toBe(7);
        } else {
          expect(() => a.setItem(i, 7)).toThrow(IndexError);
          expect(() => a.getItem(i)).toThrow(IndexError);
          expect(a[i]).toBeUndefined();
        }
      }),
    );
    expect(() => SharedArray("d", 3).getItem(1.5)).toThrow(IndexError);
  });
});

describe("Value and Array", () => {
  it("Value: default 0, typecode, toTypedArray is a view", () => {
    const v = Value("d");
    expect(v.value).toBe(0);
    expect(v.typecode).toBe("d");
    v.toTypedArray()[0] = 2.5;
    expect(v.value).toBe(2.5);
    expect(Value("q").value).toBe(0n);
    expect(new Value("i", 3).value).toBe(3);
    expect(Value("i", 1)).toBeInstanceOf(Value);
  });

  it("Array: length, iteration, slice (a copy), toTypedArray (a view), Atomics", () => {
    const a = SharedArray("i", [1, 2, 3, 4]);
    expect(a.length).toBe(4);
    expect([...a]).toEqual([1, 2, 3, 4]);
    const s = a.slice(1, 3);
    expect([...s]).toEqual([2, 3]);
    s[0] = 99;
    expect(a[1]).toBe(2);
    const view = a.toTypedArray();
    expect(view).toBeInstanceOf(Int32Array);
    expect(view.buffer).toBe(a.buffer);
    view[0] = 10;
    expect(a[0]).toBe(10);
    Atomics.add(a, 0, 5);
    expect(a[0]).toBe(15);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(SharedArray("d", 0).length).toBe(0);
    expect(Object.keys(a)).toEqual(["0", "1", "2", "3"]);
    expect(a.constructor.name).toBe("SharedInt32Array");
    expect(a.typecode).toBe("i");
    expect(a.map((x) => x * 2).constructor).toBe(Int32Array); // derived arrays are plain, not shared
  });

  it("locks: default RLock, { lock: false }, a shared lock, Raw* have none", () => {
    expect(Value("i").getLock()).toBeInstanceOf(RLock);
    expect(SharedArray("i", 2).getLock()).toBeInstanceOf(RLock);
    expect(() => Value("i", 0, { lock: false }).getLock()).toThrow(NoLockError);
    expect(() => SharedArray("i", 1, { lock: false }).getLock()).toThrow(/lock: false/);
    expect(() => RawValue("i").getLock()).toThrow(NoLockError);
    expect(() => RawArray("d", 3).getLock()).toThrow(NoLockError);
    const lock = new Lock();
    const a = Value("i", 0, { lock });
    const b = SharedArray("d", 2, { lock });
    expect(a.getLock()).toBe(lock);
    expect(b.getLock()).toBe(lock);
    a.getLock().withLock(() => expect(b.getLock().acquire({ blocking: false })).toBe(false));
    expect(lock.locked()).toBe(false);
  });
});
