import { describe, expect, it } from "vitest";
import { holdsInstances } from "../../src/ship/instance-scan";
import { packInstances, reviveInstances } from "../../src/ship/instance-codec";
import { Value } from "../../src";

class Pt {
  constructor(public x: number) {}
}

describe("holdsInstances", () => {
  it("says no for plain data, leaves and shared objects", () => {
    expect(holdsInstances([1, "a", null, undefined, { a: 1, b: [1, { c: new Date(0) }] }, new Map([[1, { x: 1 }]]), new Set([[1]]), new Uint8Array(2), /r/, new Error("e")])).toBe(false);
    expect(holdsInstances([{ v: new Value("i", 1) }])).toBe(false);
  });

  it("finds an instance at any depth, in Maps (keys and values), Sets and null-prototype objects", () => {
    expect(holdsInstances([new Pt(1)])).toBe(true);
    expect(holdsInstances([1, { a: [{ b: new Pt(1) }] }])).toBe(true);
    expect(holdsInstances([new Map([[new Pt(1), 1]])])).toBe(true);
    expect(holdsInstances([new Map([[1, new Pt(1)]])])).toBe(true);
    expect(holdsInstances([new Set([new Pt(1)])])).toBe(true);
    expect(holdsInstances([Object.assign(Object.create(null) as object, { p: new Pt(1) })])).toBe(true);
  });

  it("terminates on cycles, deep chains and heavily shared sub-objects, and still finds what is past the limits", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(holdsInstances([cyclic])).toBe(false);
    let deep: Record<string, unknown> = { end: new Pt(1) };
    for (let i = 0; i < 100; i++) deep = { next: deep };
    expect(holdsInstances([deep])).toBe(true);
    // A DAG whose tree walk would be 2^40 nodes.
    let dag: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) dag = { l: dag, r: dag };
    expect(holdsInstances([dag])).toBe(false);
    cyclic.pt = new Pt(2);
    expect(holdsInstances([cyclic])).toBe(true);
  });
});

describe("packInstances / reviveInstances in one thread", () => {
  it("round-trips instances (identity and cycles included) through structured clone", () => {
    const shared = new Pt(3);
    const value = [{ a: shared, b: shared }, new Map([["k", new Pt(4)]])];
    const { value: packed, classes } = packInstances(value);
    expect(classes.length).toBe(1);
    const back = reviveInstances(structuredClone(packed), classes) as typeof value;
    const first = back[0] as { a: Pt; b: Pt };
    expect(first.a).toBeInstanceOf(Pt);
    expect(first.a).toBe(first.b);
    expect((back[1] as Map<string, Pt>).get("k")).toBeInstanceOf(Pt);
    // The input was not changed.
    expect((value[0] as { a: Pt }).a).toBe(shared);
  });
});
