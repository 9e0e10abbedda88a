import { describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { serialize } from "node:v8";
import { decodeItem, decodeItemAt, decodesInPlace, encodeItem, encodeItemScratch, needsOwnBytes, type Tag } from "../../src/shared/item-codec";
import { NotSerializableError } from "../../src/errors";

const roundTrip = (v: unknown): unknown => {
  const { tag, body } = encodeItem(v);
  return decodeItem(tag, body.slice());
};

// isDeepStrictEqual says two invalid Dates differ; v8's bytes say they are the same (and it is stricter
// elsewhere: it also sees holes and -0). Either agreeing is equality.
const same = (a: unknown, b: unknown): boolean => isDeepStrictEqual(a, b) || Buffer.compare(serialize(a), serialize(b)) === 0;

describe("queue item codec", () => {
  it("gives back what structured clone gives, for anything structured clone carries", () => {
    const anything = fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withNullPrototype: true,
      withBoxedValues: false,
      withObjectString: true,
    });
    fc.assert(
      fc.property(anything, (v) => same(roundTrip(v), structuredClone(v))),
      { numRuns: 2000 },
    );
  });

  it("small flat tuples and records (the compact codec) come back exact: -0, NaN, integers, floats, unicode, undefined", () => {
    const scalar = fc.oneof(fc.double(), fc.integer(), fc.constant(-0), fc.string({ unit: "binary" }), fc.string({ maxLength: 300 }), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const flat = fc.oneof(fc.array(scalar, { maxLength: 40 }), fc.dictionary(fc.string({ maxLength: 70 }), scalar, { maxKeys: 40 }));
    fc.assert(fc.property(flat, (v) => same(roundTrip(v), structuredClone(v))), { numRuns: 2000 });
    // fast-check's counterexample once: a null-prototype record took the shared-objects path with no shared object.
    expect(roundTrip(Object.assign(Object.create(null) as object, { "": NaN }))).toEqual({ "": NaN });
    expect(encodeItem(["abc", 42]).tag).toBe(6);
    expect(encodeItem({ id: 1, name: "ada", value: 0.5, ok: true }).tag).toBe(6);
    // Same-shaped records reuse decoded keys; a different shape next must not.
    expect([roundTrip({ a: 1, b: 2 }), roundTrip({ a: 3, c: 4 }), roundTrip({ a: 5, b: 6 })]).toEqual([{ a: 1, b: 2 }, { a: 3, c: 4 }, { a: 5, b: 6 }]);
  });

  it("the queue's own paths agree with it: scratch encoding, and decoding in place from a view of shared memory at any offset", () => {
    const scalar = fc.oneof(fc.double(), fc.integer(), fc.constant(-0), fc.string({ maxLength: 20 }), fc.string({ unit: "binary", maxLength: 4 }), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const flat = fc.oneof(scalar, fc.array(scalar, { maxLength: 8 }), fc.dictionary(fc.constantFrom("id", "name", "value", "ok", "constructor", "1", "toString"), scalar, { maxKeys: 5 }));
    const ring = new Uint8Array(new SharedArrayBuffer(4096));
    fc.assert(
      fc.property(fc.array(flat, { minLength: 1, maxLength: 6 }), fc.nat(100), (items, offset) => {
        for (const v of items) {
          const { tag, body, length } = encodeItemScratch(v);
          const n = length ?? body.length;
          expect(body.subarray(0, n)).toEqual(encodeItem(v).body);
          if (!decodesInPlace(tag)) continue;
          ring.set(body.subarray(0, n), offset);
          const back = decodeItemAt(tag, ring, offset);
          ring.fill(0xee, offset, offset + n); // the slot reused: the decoded item must not change
          if (!same(back, structuredClone(v))) return false;
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  it("remembers record shapes without mixing them up: reordered keys, other shapes between, keys Object.prototype has", () => {
    const items: Record<string, unknown>[] = [{ a: 1, b: 2 }, { b: 3, a: 4 }, { a: 5, b: 6 }, { constructor: 1, toString: "x", 1: true }, { a: 7, b: 8, c: 9 }, { a: 10, b: 11 }];
    for (const v of items) {
      const back = roundTrip(v) as Record<string, unknown>;
      expect(back).toEqual(v);
      expect(Object.keys(back)).toEqual(Object.keys(v));
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    }
    // Non-enumerable keys: structured clone leaves them behind, and so does the compact codec.
    const hidden = Object.defineProperty({ a: 1 }, "b", { value: 2, enumerable: false });
    expect(encodeItem(hidden).tag).toBe(6);
    expect(roundTrip(hidden)).toEqual(structuredClone(hidden));
    // Getters are read as structured clone reads them, also one that deletes a later key (the compact
    // codec takes keys and values in two calls: they disagree, and the general codecs take the record).
    const makeGetters = () => ({
      a: 1,
      get b() {
        return 2;
      },
      get c() {
        delete (this as { d?: number }).d;
        return 3;
      },
      d: 4,
    });
    expect(roundTrip(makeGetters())).toStrictEqual(structuredClone(makeGetters()));
    expect(roundTrip(makeGetters())).toStrictEqual({ a: 1, b: 2, c: 3 });
    // Short strings come from a cache: same length, same slot or not, each comes back as itself.
    const words = Array.from({ length: 3000 }, (_, i) => (i * 7919).toString(36).padStart(4, "z"));
    expect(words.map((w) => (roundTrip([w]) as string[])[0])).toEqual(words);
  });

  it("keeps lone surrogates, which UTF-8 cannot hold, in strings, nested strings and keys", () => {
    for (const v of ["a\uD800b", ["x\uDC00"], { k: "\uD83D" }, { ["\uDFFF"]: 1 }]) expect(roundTrip(v)).toEqual(v);
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => roundTrip(s) === s && (roundTrip([s]) as string[])[0] === s));
  });

  it("keeps what msgpackr alone would change: -0, holes, Maps, errors with their fields, cycles", () => {
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(Object.is((roundTrip([1, -0]) as number[])[1], -0)).toBe(true);
    // eslint-disable-next-line no-sparse-arrays
    expect(1 in (roundTrip([0, , 2]) as unknown[])).toBe(false);
    expect(roundTrip(new Map([[{ k: 1 }, new Set([1n])]]))).toEqual(new Map([[{ k: 1 }, new Set([1n])]]));
    const err = roundTrip(Object.assign(new RangeError("r"), { cause: new Error("c") })) as RangeError;
    expect(err).toBeInstanceOf(RangeError);
    expect((err.cause as Error).message).toBe("c");
    const cyclic: { self?: unknown; n: number } = { n: 1 };
    cyclic.self = cyclic;
    const back = roundTrip(cyclic) as typeof cyclic;
    expect(back.self).toBe(back);
  });

  it("numbers and strings skip the codecs, and a plain record needs no bytes of its own", () => {
    expect(encodeItem(1.5).body.length).toBe(8);
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(roundTrip("héllo")).toBe("héllo");
    expect(needsOwnBytes(encodeItem({ a: 1, b: "x" }).tag)).toBe(false);
    expect(needsOwnBytes(encodeItem(new Map()).tag)).toBe(true);
  });

  it("keeps the common small items exact: tuples, records, typed arrays, dates, BigInts", () => {
    for (const v of [["abc", 42], { id: 1, name: "a", value: 0.5 }, new Float64Array([1, NaN, Infinity]), new Date(0), 2n ** 70n, [undefined, null, true]]) {
      expect(isDeepStrictEqual(roundTrip(v), v)).toBe(true);
    }
  });

  it("gives decoded typed arrays of their own, unaffected by later changes to the encoded bytes", () => {
    const { tag, body } = encodeItem({ a: new Float64Array([1, 2, 3]) });
    expect(needsOwnBytes(tag)).toBe(true);
    const copy = body.slice();
    const decoded = decodeItem(tag, copy) as { a: Float64Array };
    copy.fill(0);
    body.fill(0);
    expect([...decoded.a]).toEqual([1, 2, 3]);
  });

  it("refuses what cannot cross with an error naming its type, for functions and symbols anywhere in the item", () => {
    function handler(): number {
      return 1;
    }
    expect(() => encodeItem(handler)).toThrow(NotSerializableError);
    expect(() => encodeItem(handler)).toThrow(/function handler/);
    expect(() => encodeItem({ job: 1, done: () => 0 })).toThrow(NotSerializableError);
    expect(() => encodeItem([Symbol("s")])).toThrow(/could not be cloned/);
    expect(() => encodeItem(new SharedArrayBuffer(8))).toThrow(/SharedArrayBuffer/);
  });

  it("decodes each item on its own: a fresh decoder (another thread's) reads items written after others", async () => {
    const items = [[{ x: 1, y: 2 }], [{ x: 3, y: 4 }, { x: 5, y: 6 }], { x: 7, y: 8 }];
    const encoded = items.map(encodeItem);
    vi.resetModules();
    const fresh = await import("../../src/shared/item-codec");
    expect(fresh.decodeItem).not.toBe(decodeItem);
    expect([encoded[2], encoded[1], encoded[0]].map((e) => fresh.decodeItem(e!.tag, e!.body))).toEqual([items[2], items[1], items[0]]);
  });

  it("fails on a corrupt tag instead of guessing", () => {
    expect(() => decodeItem(7 as Tag, Uint8Array.of(1, 2))).toThrow(/unknown codec tag 7/);
  });
});
