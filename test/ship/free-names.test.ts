import { describe, expect, it } from "vitest";
import { analyzeFreeNames } from "../../src/ship/free-names";

const free = (src: string): string[] => [...analyzeFreeNames(`(${src})`).free.keys()].sort();

describe("analyzeFreeNames", () => {
  it("finds names used but not declared", () => {
    expect(free("(x) => x + k")).toEqual(["k"]);
    expect(free("function f(a) { return g(a) + f(a) }")).toEqual(["g"]);
  });

  it("respects shadowing by params, let, const, var and inner functions", () => {
    expect(free("(k) => { const m = k; { let k = 2; m + k } return m }")).toEqual([]);
    expect(free("() => { var a = 1; function inner() { return a + b } return inner() }")).toEqual(["b"]);
    expect(free("() => { { let z = 1 } return z }")).toEqual(["z"]);
    expect(free("() => { if (x) { var v = 1 } return v }")).toEqual(["x"]);
    expect(free("() => { return hoisted(); function hoisted() { return 1 } }")).toEqual([]);
  });

  it("handles destructuring in params, declarations and assignments", () => {
    expect(free("({ a, b: [c, ...d], e = dflt, [key]: f }) => a + c + d + e + f")).toEqual(["dflt", "key"]);
    expect(free("() => { const { x, y: { z } } = obj; return x + z }")).toEqual(["obj"]);
    expect(free("() => { [p, q] = [q, p] }")).toEqual(["p", "q"]);
  });

  it("does not treat labels, object keys, member names or method names as references", () => {
    expect(free("() => { outer: for (const i of xs) { continue outer } }")).toEqual(["xs"]);
    expect(free("() => ({ a: 1, b, [c]: 2, d() { return e } })")).toEqual(["b", "c", "e"]);
    expect(free("(o) => o.prop + o?.other?.deep + o[idx]")).toEqual(["idx"]);
  });

  it("marks typeof-only uses, writes, and member reads", () => {
    const a = analyzeFreeNames("(() => { if (typeof maybe === 'undefined') return exports.k + exports.j; counter++; total = 1 })");
    expect(a.free.get("maybe")?.typeofOnly).toBe(true);
    expect([...(a.free.get("exports")?.members ?? [])].sort()).toEqual(["j", "k"]);
    expect(a.free.get("exports")?.bare).toBe(false);
    expect(a.free.get("counter")?.written).toBe(true);
    expect(a.free.get("total")?.written).toBe(true);
    expect(analyzeFreeNames("(() => exports[name])").free.get("exports")?.bare).toBe(true);
  });

  it("handles optional chaining, template literals and tagged templates", () => {
    expect(free("(o) => o?.[k]?.(arg) ?? `${a} and ${b.c}`")).toEqual(["a", "arg", "b", "k"]);
    expect(free("() => tag`x${y}`")).toEqual(["tag", "y"]);
  });

  it("handles classes: names, extends, fields, static blocks, private names, this and super", () => {
    const a = analyzeFreeNames("(class A extends Base { #p = seed; static s = A.make(); static { init(this) } m() { return super.m() + this.#p + helper } })");
    expect([...a.free.keys()].sort()).toEqual(["Base", "helper", "init", "seed"]);
    expect(a.privateNames).toBe(true);
    expect(a.freeThis).toBe(false);
    expect(a.freeSuper).toBe(false);
  });

  it("sees default parameters in the parameter scope, not the body", () => {
    expect(free("(a = b, c = a) => { var b; return c }")).toEqual(["b"]);
    expect(free("function (x = arguments.length) { return x }")).toEqual([]);
  });

  it("catch parameters, for heads, switch blocks and named function expressions bind", () => {
    expect(free("() => { try { f() } catch ({ message }) { return message } }")).toEqual(["f"]);
    expect(free("() => { for (let i = 0; i < n; i++) {} for (const k in o) {} for (v of w) {} }")).toEqual(["n", "o", "v", "w"]);
    expect(free("(x) => { switch (x) { case 1: let y = 2; return y; default: return z } }")).toEqual(["z"]);
    expect(free("function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) }")).toEqual([]);
  });

  it("flags an outer this and super", () => {
    expect(analyzeFreeNames("(() => this.x)").freeThis).toBe(true);
    expect(analyzeFreeNames("(function () { return this.x })").freeThis).toBe(false);
    expect(analyzeFreeNames("(function () { return super.x })").freeSuper).toBe(true);
  });

  it("ignores new.target, arguments in functions, and async/generator syntax", () => {
    expect(free("async function* g() { yield* other(); await new.target; return arguments[0] }")).toEqual(["other"]);
    expect(free("() => arguments")).toEqual(["arguments"]);
  });
});
