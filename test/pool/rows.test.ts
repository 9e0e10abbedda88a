import { describe, expect, it } from "vitest";
import { MIN_PACKED_ROWS, packRows, slicePackedRows, unpackRows, type PackedRows } from "../../src/pool/rows";

const n = MIN_PACKED_ROWS * 2;
const records = (count = n) => Array.from({ length: count }, (_, id) => ({ id, name: `item-${id}`, value: id / 2 }));

/** Packs, sends through structured clone (as postMessage does) and unpacks. */
function roundTrip(values: unknown[]): unknown[] {
  const packed = packRows(values, 0, values.length);
  if (packed === undefined) throw new Error("not packed");
  return unpackRows(structuredClone(packed));
}

describe("packRows", () => {
  it("sends records as columns: numbers in a Float64Array, other fields in a dense array", () => {
    const packed = packRows(records(), 0, n)!;
    expect(packed.rows).toBe("records");
    expect(packed.keys).toEqual(["id", "name", "value"]);
    expect(packed.columns[0]).toBeInstanceOf(Float64Array);
    expect(packed.columns[1]).toEqual(records().map((r) => r.name));
    expect(roundTrip(records())).toStrictEqual(records());
  });

  it("rebuilds what structured clone would: key order, -0, NaN, nested values, undefined", () => {
    const values = records().map((r, i) => ({
      [2]: "int key first",
      b: i === 3 ? -0 : i === 4 ? NaN : i === 5 ? Infinity : i,
      a: i % 2 === 0 ? { nested: [i], at: new Date(i) } : null,
      u: i === 7 ? undefined : `s${i}`,
      m: new Map([[r.id, r.name]]),
    }));
    const back = roundTrip(values) as typeof values;
    expect(back).toStrictEqual(structuredClone(values));
    expect(Object.keys(back[0]!)).toEqual(Object.keys(values[0]!));
    expect(Object.is(back[3]!.b, -0)).toBe(true);
    expect(back[4]!.b).toBeNaN();
    expect(back[7]!.a).toBeNull();
    expect(back[0]!.a).toEqual({ nested: [0], at: new Date(0) });
  });

  it("switches a column to a dense array at its first non-number", () => {
    const values = records().map((r, i) => ({ ...r, value: i === n - 1 ? "last" : r.value }));
    const packed = packRows(values, 0, n)!;
    const column = packed.columns[2] as unknown[];
    expect(Array.isArray(column)).toBe(true);
    expect(Object.keys(column)).toHaveLength(n);
    expect(roundTrip(values)).toStrictEqual(values);
  });

  it("keeps hostile keys as data, never as code", () => {
    const key = '"]: 0}); throw new Error("injected"); ({"';
    const values = records().map((r) => ({ [key]: r.id, "a\nb\\c\u2028": r.name }));
    expect(roundTrip(values)).toStrictEqual(values);
  });

  it("reads each getter once, as structured clone does", () => {
    let reads = 0;
    const values = records().map((r) => ({
      id: r.id,
      get value() {
        reads++;
        return r.value;
      },
    }));
    const back = roundTrip(values) as { id: number; value: number }[];
    expect(reads).toBe(n);
    expect(Object.getOwnPropertyDescriptor(back[1], "value")).toMatchObject({ value: 0.5, writable: true });
  });

  it("packs dense tuples of one length (starmap's argument lists)", () => {
    const tuples = Array.from({ length: n }, (_, i) => [i, `x${i}`, i % 2 === 0]);
    const packed = packRows(tuples, 0, n)!;
    expect(packed.rows).toBe("tuples");
    expect(roundTrip(tuples)).toStrictEqual(tuples);
  });

  it("packs a slice of the input and slices a packed run", () => {
    const values = records(3 * n);
    const packed = packRows(values, n, 3 * n)!;
    expect(unpackRows(packed)).toStrictEqual(values.slice(n, 3 * n));
    const rest: PackedRows = slicePackedRows(packed, 5);
    expect(rest.length).toBe(2 * n - 5);
    expect(unpackRows(rest)).toStrictEqual(values.slice(n + 5, 3 * n));
  });

  class Point {
    constructor(readonly x: number) {}
  }
  const proto = JSON.parse('{"__proto__": 1, "x": 2}') as object;
  const refused: [string, (i: number) => unknown][] = [
    ["class instances", (i) => (i === 5 ? new Point(i) : { x: i })],
    ["proxies", (i) => (i === 5 ? new Proxy({ x: i }, {}) : { x: i })],
    ["null-prototype objects", (i) => (i === 5 ? Object.assign(Object.create(null) as object, { x: i }) : { x: i })],
    ['a "__proto__" own key', () => proto],
    ["keys in another order", (i) => (i === 5 ? { y: 1, x: i } : { x: i, y: 1 })],
    ["an extra key", (i) => (i === 5 ? { x: i, y: 1 } : { x: i })],
    ["a missing key", (i) => (i === 5 ? {} : { x: i })],
    ["empty records", () => ({})],
    ["records among numbers", (i) => (i === 5 ? i : { x: i })],
    ["tuples of two lengths", (i) => (i === 5 ? [i] : [i, i])],
    ["a tuple with a hole", (i) => (i === 5 ? [i, , i] : [i, i, i])], // eslint-disable-line no-sparse-arrays -- the hole is the point
    ["a tuple with a named property", (i) => (i === 5 ? Object.assign([i, i], { extra: true }) : [i, i])],
    ["typed arrays", (i) => new Float64Array([i])],
  ];
  it.each(refused)("leaves %s to structured clone", (_, make) => {
    const values = Array.from({ length: n }, (_, i) => make(i));
    expect(packRows(values, 0, n)).toBeUndefined();
  });

  it("leaves short runs to structured clone", () => {
    expect(packRows(records(MIN_PACKED_ROWS - 1), 0, MIN_PACKED_ROWS - 1)).toBeUndefined();
  });
});
