import { join } from "node:path";
import { runInThisContext } from "node:vm";
import { describe, expect, it, vi } from "vitest";
import { NotShippableError } from "../../src/errors";
import { loadShippedFunction, shipFunction, type TaskFunction } from "../../src/ship";

/** A function compiled outside this module, so its free names are truly global lookups. */
const script = (src: string): TaskFunction => runInThisContext(src) as TaskFunction;

/** Ships, structured-clones (as postMessage would) and rebuilds. */
function roundTrip(fn: TaskFunction, context?: Record<string, unknown>): (...args: unknown[]) => unknown {
  return loadShippedFunction(structuredClone(shipFunction(fn, context ? { context } : undefined)));
}

describe("shipFunction / loadShippedFunction", () => {
  it("ships self-contained functions in every source form", async () => {
    expect(roundTrip((x: number) => x * 2)(21)).toBe(42);
    expect(roundTrip(function named(x: number) { return x + 1; })(1)).toBe(2);
    expect(await roundTrip(async (x: number) => (await Promise.resolve(x)) + 1)(1)).toBe(2);
    const obj = {
      m(this: void, x: number) { return x * 3; },
      async am(this: void, x: number) { return (await Promise.resolve(x)) - 1; },
      *gen(this: void) { yield 1; },
    };
    expect(roundTrip(obj.m)(2)).toBe(6);
    expect(await roundTrip(obj.am)(2)).toBe(1);
    expect([...(roundTrip(obj.gen)() as Iterable<number>)]).toEqual([1]);
  });

  it("leaves JS and Node globals to the worker", () => {
    expect(roundTrip((x: number) => Math.sqrt(x) + JSON.parse("1") + Number(Buffer.from("a").length))(16)).toBe(6);
  });

  it("refuses names it cannot find, naming them and the fix", () => {
    const fn = script("(x) => x + notDefinedAnywhere + alsoMissing");
    expect(() => shipFunction(fn)).toThrow(NotShippableError);
    expect(() => shipFunction(fn)).toThrow(/`alsoMissing`.*`notDefinedAnywhere`.*context: \{ alsoMissing, notDefinedAnywhere \}/s);
  });

  it("captures context values", () => {
    const fn = script("(x) => x * scale + offset.v");
    expect(roundTrip(fn, { scale: 10, offset: { v: 1 } })(2)).toBe(21);
  });

  it("reads closure variables of enclosing functions", () => {
    const make = (k: number) => { const table = new Map([[1, "one"]]); return (x: number) => `${table.get(x)}:${k}`; };
    expect(roundTrip(make(5))(1)).toBe("one:5");
  });

  it("reads primitive closure variables, special numbers and bigints included", () => {
    const plain = () => {
      const n = 2, s = "s", u = undefined, z = null, b = true;
      return () => [n, s, u, z, b];
    };
    expect(roundTrip(plain())()).toEqual([2, "s", undefined, null, true]);
    const special = () => {
      const n = 2, nan = NaN, neg = -0, big = 3n;
      return () => [n, nan, Object.is(neg, -0), big];
    };
    expect(roundTrip(special())()).toEqual([2, NaN, true, 3n]);
  });

  it("ships functions it calls, with recursion and mutual recursion", () => {
    const isEven = (n: number): boolean => (n === 0 ? true : isOdd(n - 1));
    const isOdd = (n: number): boolean => (n === 0 ? false : isEven(n - 1));
    function fact(n: number): number { return n <= 1 ? 1 : n * fact(n - 1); }
    expect(roundTrip((n: number) => [isEven(n), fact(n)])(5)).toEqual([false, 120]);
  });

  it("re-requires modules by identity", async () => {
    const path = await import("node:path");
    // eslint-disable-next-line @typescript-eslint/unbound-method -- a plain function export, found by identity
    const { basename } = path;
    expect(roundTrip((p: string) => basename(p) + path.extname(p))("/a/b.txt")).toBe("b.txt.txt");
  });

  it("resolves { module, name } refs from the working directory", () => {
    expect(roundTrip({ module: "node:path", name: "basename" })("/x/y.js")).toBe("y.js");
  });

  it("gives the same id for the same function and values, and a new one when a value changes", () => {
    const data = [1, 2, 3];
    const fn = (i: number) => data[i];
    const a = shipFunction(fn);
    expect(shipFunction(fn)).toBe(a);
    data.push(4);
    const b = shipFunction(fn);
    expect(b.id).not.toBe(a.id);
    expect(loadShippedFunction(structuredClone(b))(3)).toBe(4);
  });
});

describe("refusals happen before dispatch, naming the variable and the fix", () => {
  it("refuses a socket, naming its module", async () => {
    const net = await import("node:net");
    const sock = new net.Socket();
    expect(() => shipFunction(() => sock.destroyed)).toThrow(/refers to `sock` \(line 1 of `fn`.*\): a Socket from Node's `net` module/);
  });

  it("refuses promises, weak maps and symbols with their path", () => {
    const state = { pending: Promise.resolve(1) };
    expect(() => shipFunction(() => state)).toThrow(/`state`.* at `state.pending`: a Promise/);
    const tag = { id: Symbol("x") };
    expect(() => shipFunction(() => tag)).toThrow(/at `tag.id`: a symbol/);
  });

  it("refuses bound functions and arrows using an outer this", () => {
    const target = { k: 1, get(this: { k: number }) { return this.k; } };
    expect(() => shipFunction(target.get.bind(target))).toThrow(/bound function.*\(x\) => obj.method\(x\)/);
    const arrowThis = runInThisContext("(function () { return () => this.k; }).call({ k: 1 })") as TaskFunction;
    expect(() => shipFunction(arrowThis)).toThrow(/uses `this`/);
  });

  it("refuses instances whose class has private fields", () => {
    class Secret { #s = 1; get s(): number { return this.#s; } }
    const sec = new Secret();
    expect(() => shipFunction(() => sec.s)).toThrow(/`sec`.*private fields/);
  });

  it("names the path through functions shipped along", () => {
    const lock = { p: Promise.resolve() };
    const helper = () => lock.p;
    const cfg = { run: helper };
    expect(() => shipFunction(() => cfg.run())).toThrow(/refers to `cfg`.*which at `cfg.run` holds a function, which refers to `lock`.* at `lock.p`: a Promise/);
  });

  it("lets a typeof-only reference to a missing name through", () => {
    const fn = script("() => typeof missingThing === 'undefined'");
    expect(roundTrip(fn)()).toBe(true);
  });
});

/** The NotShippableError `ship` throws; fails the test when it throws nothing or something else. */
function refusal(ship: () => unknown): NotShippableError {
  try {
    ship();
  } catch (e) {
    expect(e).toBeInstanceOf(NotShippableError);
    return e as NotShippableError;
  }
  throw new Error("expected a NotShippableError, nothing was thrown");
}

describe("NotShippableError fields say why, for which function, and which names", () => {
  it("free-variables: the names Lanes cannot find, and the root function's name", () => {
    const anonymous = refusal(() => shipFunction(script("(x) => x + notDefinedAnywhere + alsoMissing")));
    expect(anonymous).toMatchObject({ reason: "free-variables", functionName: undefined, names: ["alsoMissing", "notDefinedAnywhere"] });
    // Through a helper shipped along: the helper's missing name, still reported against the root.
    const helper = script("(function helper() { return missingInHelper; })");
    const work = () => (helper as () => number)() + 1;
    expect(refusal(() => shipFunction(work))).toMatchObject({ reason: "free-variables", functionName: "work", names: ["missingInHelper"] });
  });

  it("not-cloneable: the variable holding the value, also at the end of a path through functions", async () => {
    const net = await import("node:net");
    const sock = new net.Socket();
    const readSocket = () => sock.destroyed;
    expect(refusal(() => shipFunction(readSocket))).toMatchObject({ reason: "not-cloneable", functionName: "readSocket", names: ["sock"] });
    const tag = { id: Symbol("x") };
    expect(refusal(() => shipFunction(() => tag))).toMatchObject({ reason: "not-cloneable", functionName: undefined, names: ["tag"] });
    class Secret { #s = 1; get s(): number { return this.#s; } }
    const sec = new Secret();
    const readSecret = () => sec.s;
    expect(refusal(() => shipFunction(readSecret))).toMatchObject({ reason: "not-cloneable", names: ["sec"] });
    const lock = { p: Promise.resolve() };
    const helper = () => lock.p;
    const cfg = { run: helper };
    const outer = () => cfg.run();
    expect(refusal(() => shipFunction(outer))).toMatchObject({ reason: "not-cloneable", functionName: "outer", names: ["lock"] });
  });

  it("exports-object: the notebook's whole exports object", () => {
    const error = refusal(() => shipFunction(script("(function useAll() { return exports; })"), { context: { exports: {} } }));
    expect(error).toMatchObject({ reason: "exports-object", functionName: "useAll", names: ["exports"] });
  });

  it("bound-function and native-function: the root itself (no names), or the variable holding it", () => {
    const target = { k: 1, get(this: { k: number }) { return this.k; } };
    // A bound function is named "bound <target name>".
    expect(refusal(() => shipFunction(target.get.bind(target)))).toMatchObject({ reason: "bound-function", functionName: "bound get", names: [] });
    const getter = target.get.bind(target);
    const viaBound = () => getter();
    expect(refusal(() => shipFunction(viaBound))).toMatchObject({ reason: "bound-function", functionName: "viaBound", names: ["getter"] });
    // eslint-disable-next-line @typescript-eslint/unbound-method -- a native method no global path reaches
    const mapGet: (this: Map<number, number>, key: number) => number | undefined = Map.prototype.get;
    const viaNative = (m: Map<number, number>) => mapGet.call(m, 1);
    expect(refusal(() => shipFunction(viaNative))).toMatchObject({ reason: "native-function", functionName: "viaNative", names: ["mapGet"] });
  });

  it("free-this and free-super: an outer `this` or `super`", () => {
    const arrowThis = runInThisContext("(function () { return () => this.k; }).call({ k: 1 })") as TaskFunction;
    expect(refusal(() => shipFunction(arrowThis))).toMatchObject({ reason: "free-this", functionName: undefined, names: [] });
    const withSuper = { usesSuper(): string { return String(super.toString()); } };
    // eslint-disable-next-line @typescript-eslint/unbound-method -- shipped as a plain function on purpose
    expect(refusal(() => shipFunction(withSuper.usesSuper))).toMatchObject({ reason: "free-super", functionName: "usesSuper", names: [] });
  });

  it("module-not-found: the export name of the { module, name } reference", () => {
    const error = refusal(() => shipFunction({ module: "./no-such-module-anywhere.js", name: "transform" }));
    expect(error).toMatchObject({ reason: "module-not-found", functionName: "transform", names: [] });
    expect(error.message).toMatch(/^Cannot ship \{ module: "\.\/no-such-module-anywhere\.js", name: "transform" \}: no such module/);
  });

  it("no-typescript: no function to name, and the message is unchanged", async () => {
    // A fresh copy of compile-ts that finds no TypeScript compiler anywhere.
    vi.resetModules();
    vi.doMock("../../src/ship/node-require", () => ({
      requireCache: () => ({}),
      requireFrom: () => () => {
        throw new Error("Cannot find module 'typescript'");
      },
    }));
    try {
      const { compileTypeScript } = await import("../../src/ship/compile-ts");
      const errors = await import("../../src/errors");
      let thrown: unknown;
      try {
        compileTypeScript(join(__dirname, "fixtures", "tasks-ts.ts"), __dirname);
      } catch (e) {
        thrown = e;
      }
      // The fresh module graph has its own error classes: compare with those.
      expect(thrown).toBeInstanceOf(errors.NotShippableError);
      expect(thrown).toMatchObject({ reason: "no-typescript", functionName: undefined, names: [] });
      expect((thrown as Error).message).toMatch(/^Shipping a TypeScript module to workers needs the TypeScript compiler, and none was found\./);
    } finally {
      vi.doUnmock("../../src/ship/node-require");
      vi.resetModules();
    }
  });

  it("new NotShippableError(message) still works: reason \"other\", no function, no names", () => {
    const error = new NotShippableError("custom");
    expect(error).toMatchObject({ name: "NotShippableError", message: "custom", reason: "other", functionName: undefined, names: [] });
    const cause = new Error("underneath");
    expect(new NotShippableError("with cause", { reason: "not-cloneable", names: ["x"], cause })).toMatchObject({ cause, reason: "not-cloneable", names: ["x"] });
  });
});

describe("payload caching", () => {
  it("returns the same payload while values are unchanged, a new id when any changes", () => {
    let k = 1;
    const table = new Map([["a", 1]]);
    const fn = () => k + (table.get("a") ?? 0);
    const p1 = shipFunction(fn);
    expect(shipFunction(fn)).toBe(p1);
    table.set("a", 2);
    const p2 = shipFunction(fn);
    expect(p2.id).not.toBe(p1.id);
    k = 2;
    expect(shipFunction(fn).id).not.toBe(p2.id);
    expect(roundTrip(fn)()).toBe(4);
  });

  it("snapshots data at call time", () => {
    const xs = [1];
    const payload = shipFunction(() => xs.length);
    xs.push(2);
    expect(loadShippedFunction(structuredClone(payload))()).toBe(1);
  });

  it("gives equal ids for equal captures across function objects", () => {
    const make = () => (x: number) => x + 1;
    expect(shipFunction(make()).id).toBe(shipFunction(make()).id);
  });
});
