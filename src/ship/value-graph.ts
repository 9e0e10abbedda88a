/**
 * The value graph of a payload: walks the values a function's free names hold (./resolve-names finds
 * them) and decides for each how it crosses into a worker.
 */
import type { NotShippableError, NotShippableReason } from "../errors";
import { compileTypeScript } from "./compile-ts";
import type { FreeNameAnalysis } from "./free-names";
import { analyse } from "./function-analysis";
import type { FunctionSource } from "./function-source";
import { globalIndex } from "./global-paths";
import { moduleIndex, type ModuleLocation } from "./modules";
import type { CompiledModule, ModuleSpec, NodeRef, WireNode } from "./payload";
import { describe, fnLabel, unresolvedNames, unshippableFunction, unshippableValue, type Site } from "./refusal";
import { resolveFreeNames } from "./resolve-names";
import { findTransferHandler, transferHandlers } from "./transfer-handlers";
import { isCloneableLeaf } from "./cloneable-leaf";
import { ownToken } from "./class-table";

/** Result of walking a value: a node, or PURE (plain data: goes into the v8 snapshot as is). */
const PURE = -1;
type Walked = NodeRef; // or PURE

const IN_PROGRESS = -2;

/**
 * Builds the node graph of a payload on the kernel side: walks a function's free names and the values
 * they hold, deciding for each value how it crosses (plain data snapshot, shipped source, module
 * re-required in the worker, transfer handler, class instance), and refuses, before anything is
 * dispatched, what cannot cross.
 */
export class ValueGraphBuilder {
  readonly nodes: WireNode[] = [];
  readonly data: unknown[] = [];
  readonly compiled = new Map<string, CompiledModule>();
  /** Per object: PURE, IN_PROGRESS, or its node. */
  private readonly objects = new Map<object, number>();
  private readonly dataRefs = new Map<object, NodeRef>();
  private readonly functions = new Map<object, NodeRef>();
  private readonly partials = new Map<object, { keys: Set<string>; entries: [string, NodeRef][]; ref: NodeRef }>();
  /** Property keys from the current variable down to the value being walked. */
  private keys: string[] = [];
  private readonly handlers = [...transferHandlers];
  /** The steps from the root function to the variable being captured now, for error messages. */
  private readonly trail: Site[] = [];
  /** The root function's `name` as is (messages show "fn" for an anonymous one). */
  private rootName = "";
  private modules: ReadonlyMap<unknown, ModuleLocation> | undefined;
  private globals: ReadonlyMap<unknown, readonly string[]> | undefined;

  constructor(
    readonly baseDir: string,
    private readonly context: Readonly<Record<string, unknown>> | undefined,
  ) {}

  /** A module export, by resolved spec. */
  module(spec: ModuleSpec, path: readonly string[], star = false, cls?: string): NodeRef {
    if (spec.kind === "compiled") for (const m of compileTypeScript(spec.path, this.baseDir)) this.compiled.set(m.path, m);
    return this.push(cls === undefined ? { t: "module", spec, path, star } : { t: "module", spec, path, star, cls });
  }

  /** The root function: its free names may also come from `context`, which wins over everything. */
  root(fn: (...args: never[]) => unknown): NodeRef {
    this.rootName = fn.name;
    return this.fn(fn, true);
  }

  private locate(v: object): ModuleLocation | undefined {
    this.modules ??= moduleIndex();
    return this.modules.get(v);
  }

  private push(node: WireNode): NodeRef {
    this.nodes.push(node);
    return this.nodes.length - 1;
  }

  private reserve(): NodeRef {
    return this.push({ t: "prim", v: undefined });
  }

  private fn(fn: (...args: never[]) => unknown, isRoot: boolean): NodeRef {
    const known = this.functions.get(fn);
    if (known !== undefined) return known;

    const loc = this.locate(fn);
    if (loc) return this.remember(fn, this.module(loc.spec, loc.path, false, classToken(fn)));
    this.globals ??= globalIndex();
    const global = this.globals.get(fn);
    if (global) return this.remember(fn, this.push({ t: "global", path: global }));

    const name = fn.name || "anonymous";
    const last = this.trail[this.trail.length - 1];
    if (last && this.keys.length > 1) last.via = this.path();
    const { source, analysis } = analyse(fn);
    if (source.kind === "native") throw this.nativeFunction(fn, source.bound);
    if (analysis.freeThis) {
      throw this.refuseFunction(
        "free-this",
        name,
        "an arrow function that uses `this` from the code around it, which does not exist in a worker",
        "pass what `this` refers to as an argument or through { context: { … } }",
      );
    }
    if (analysis.freeSuper) {
      throw this.refuseFunction("free-super", name, "a method that uses `super` outside its class", "ship the class's instance or a plain function");
    }

    const ref = this.reserve();
    this.functions.set(fn, ref);
    // Its free names are new variables: paths in messages start again from them.
    const keys = this.keys;
    this.keys = [];
    const binds = this.bindFreeNames(fn, name, source, analysis, isRoot);
    this.keys = keys;
    const cls = classToken(fn);
    this.nodes[ref] = cls === undefined ? { t: "fn", name, src: source.expression, binds } : { t: "fn", name, src: source.expression, binds, cls };
    return ref;
  }

  private remember(fn: object, ref: NodeRef): NodeRef {
    this.functions.set(fn, ref);
    return ref;
  }

  private bindFreeNames(
    fn: object,
    name: string,
    source: FunctionSource,
    analysis: FreeNameAnalysis,
    isRoot: boolean,
  ): [string, NodeRef][] {
    const { bindings, missing } = resolveFreeNames(fn, name, source, analysis, this.context, isRoot);
    const binds: [string, NodeRef][] = [];
    for (const b of bindings) {
      if (b.kind === "require") {
        binds.push([b.name, this.push({ t: "require" })]);
        continue;
      }
      this.trail.push(b.site);
      binds.push([b.name, b.kind === "exports" ? this.exportsObject(b.exports, b.use.members, b.use.bare) : this.value(b.value, b.name)]);
      this.trail.pop();
    }
    // After walking what was found: a value that cannot cross is reported before a missing name.
    if (missing.length > 0) throw unresolvedNames(this.rootName, this.trail, missing);
    return binds;
  }

  /**
   * tslab's cell exports (or a CommonJS module's `exports`): only the properties the code reads are
   * captured, never the whole notebook.
   */
  private exportsObject(obj: object, members: ReadonlySet<string>, bare: boolean): NodeRef {
    if (bare) {
      throw this.refuseValue(
        "",
        "the notebook's whole `exports` object (used other than as `exports.name`)",
        "refer to each notebook name directly, or pass what the function needs with { context: { … } }",
        "exports-object",
      );
    }
    let partial = this.partials.get(obj);
    if (!partial) {
      partial = { keys: new Set(), entries: [], ref: -1 };
      partial.ref = this.push({ t: "object", nullProto: false, entries: partial.entries });
      this.partials.set(obj, partial);
      this.objects.set(obj, partial.ref);
    }
    this.keys.push(this.trail[this.trail.length - 1]?.variable ?? "exports");
    for (const m of [...members].sort()) {
      if (partial.keys.has(m)) continue;
      partial.keys.add(m);
      partial.entries.push([m, this.value((obj as Record<string, unknown>)[m], m)]);
    }
    this.keys.pop();
    return partial.ref;
  }

  /** Any captured value; `key` names it in messages (a variable, or a property below the current one). */
  value(v: unknown, key: string): NodeRef {
    this.keys.push(key);
    const ref = this.materialize(v, this.walk(v));
    this.keys.pop();
    return ref;
  }

  private materialize(v: unknown, walked: Walked): NodeRef {
    if (walked !== PURE) return walked;
    if (!isObjectLike(v)) return this.push({ t: "prim", v });
    let ref = this.dataRefs.get(v);
    if (ref === undefined) {
      this.data.push(v);
      ref = this.push({ t: "data", i: this.data.length - 1 });
      this.dataRefs.set(v, ref);
    }
    return ref;
  }

  private walk(v: unknown): Walked {
    switch (typeof v) {
      case "symbol":
        throw this.refuseValue(this.path(), "a symbol, which cannot be copied to another thread");
      case "function":
        return this.fn(v as (...args: never[]) => unknown, false);
      case "object":
        return v === null ? PURE : this.walkObject(v);
      default:
        return PURE;
    }
  }

  /** Walks a child; primitives are answered without a call (most of the work in large data). */
  private child(v: unknown, key: string): Walked {
    if (v === null || (typeof v !== "object" && typeof v !== "function" && typeof v !== "symbol")) return PURE;
    this.keys.push(key);
    const w = this.walk(v);
    this.keys.pop();
    return w;
  }

  private walkObject(v: object): Walked {
    const known = this.objects.get(v);
    if (known !== undefined) {
      if (known !== IN_PROGRESS) return known;
      // A cycle back to an object still being walked: it must become a node to be referred to.
      const ref = this.reserve();
      this.objects.set(v, ref);
      return ref;
    }

    const handled = this.handlers.length > 0 ? findTransferHandler(v, this.handlers) : undefined;
    if (handled) {
      const [handler, h] = handled;
      return this.settle(v, this.push({ t: "handler", handler, uid: uidOf(v), wire: h.serialize(v) }));
    }
    const loc = this.locate(v) ?? this.starImport(v);
    if (loc) return this.settle(v, this.module(loc.spec, loc.path, "star" in loc && loc.star === true));

    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Object.prototype || proto === null) {
      if ((v as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === "Module") {
        throw this.refuseValue(
          this.path(),
          "an ES module namespace Lanes cannot find among loaded modules",
          "import the module inside the function, or pass { module, name } for a module function",
        );
      }
      return this.plainObject(v as Record<string, unknown>, proto === null);
    }
    if (proto === Array.prototype) return this.array(v as unknown[]);
    if (proto === Map.prototype) return this.mapOrSet(v as Map<unknown, unknown>, true);
    if (proto === Set.prototype) return this.mapOrSet(v as Set<unknown>, false);
    if (isCloneableLeaf(v)) return this.settle(v, PURE);
    return this.instance(v, proto);
  }

  private settle(v: object, w: Walked): Walked {
    this.objects.set(v, w);
    return w;
  }

  // Containers stay PURE (one data leaf, copied by v8's serializer) unless something inside is not
  // plain data; only then are per-child results kept and a node built.

  private plainObject(v: Record<string, unknown>, nullProto: boolean): Walked {
    const keys = Object.keys(v);
    let results: Walked[] | undefined;
    let marked = false;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const c = v[key];
      if (!marked && isObjectLike(c)) marked = this.mark(v);
      const w = this.child(c, key);
      if (w !== PURE) (results ??= new Array<Walked>(keys.length).fill(PURE))[i] = w;
    }
    return this.finish(v, marked, results, (r) => ({
      t: "object",
      nullProto,
      entries: keys.map((key, i) => [key, this.materialize(v[key], r[i] ?? PURE)]),
    }));
  }

  private array(v: unknown[]): Walked {
    let results: Walked[] | undefined;
    let marked = false;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (!marked && isObjectLike(c)) marked = this.mark(v);
      const w = this.child(c, `[${i}]`);
      if (w !== PURE) (results ??= new Array<Walked>(v.length).fill(PURE))[i] = w;
    }
    return this.finish(v, marked, results, (r) => {
      const entries: [number, NodeRef][] = [];
      for (let i = 0; i < v.length; i++) if (i in v) entries.push([i, this.materialize(v[i], r[i] ?? PURE)]);
      return { t: "array", length: v.length, entries };
    });
  }

  /**
   * Marks a container as being walked, once it turns out to hold objects: only those can be part of a
   * cycle or shared. Leaves (only primitives inside) are never entered in the identity map, which is
   * what keeps walking 200 000 rows cheap.
   */
  private mark(v: object): true {
    this.objects.set(v, IN_PROGRESS);
    return true;
  }

  private mapOrSet(v: Map<unknown, unknown> | Set<unknown>, isMap: boolean): Walked {
    this.mark(v);
    const items: [unknown, unknown][] = [...v.entries()];
    let results: Walked[] | undefined;
    items.forEach(([key, value], i) => {
      const wk = this.child(key, `<key ${i}>`);
      const wv = isMap ? this.child(value, `<value ${i}>`) : PURE;
      if (wk !== PURE || wv !== PURE) {
        results ??= new Array<Walked>(items.length * 2).fill(PURE);
        results[2 * i] = wk;
        results[2 * i + 1] = wv;
      }
    });
    return this.finish(v, true, results, (r) => {
      const at = (x: unknown, j: number): NodeRef => this.materialize(x, r[j] ?? PURE);
      return isMap
        ? { t: "map", entries: items.map(([k, val], i) => [at(k, 2 * i), at(val, 2 * i + 1)]) }
        : { t: "set", items: items.map(([k], i) => at(k, 2 * i)) };
    });
  }

  private finish(v: object, marked: boolean, results: Walked[] | undefined, make: (results: Walked[]) => WireNode): Walked {
    const code = marked ? this.objects.get(v) : undefined;
    if (results === undefined && (!marked || code === IN_PROGRESS)) return marked ? this.settle(v, PURE) : PURE;
    const ref = code !== undefined && code >= 0 ? code : this.reserve();
    this.objects.set(v, ref);
    this.nodes[ref] = make(results ?? []);
    return ref;
  }

  /** The property path being walked, for messages: `config.items[3].conn`. */
  private path(): string {
    return this.keys.map((k, i) => (i === 0 || k.startsWith("[") || k.startsWith("<") ? k : `.${k}`)).join("");
  }

  /** An instance of a class: shipped with its class, or refused when a copy would lose state. */
  private instance(v: object, proto: object): Walked {
    const where = this.path();
    const chain: (new (...args: never[]) => unknown)[] = [];
    for (let p: object | null = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
      const ctor = (p as { constructor?: unknown }).constructor;
      const analysed = typeof ctor === "function" ? analyse(ctor as (...args: never[]) => unknown) : undefined;
      if (typeof ctor !== "function" || ctor.prototype !== p || !analysed || analysed.source.kind === "native") {
        throw this.refuseValue(
          where,
          `${describe(v)}, an object with built-in or native internal state (a handle, socket, promise, stream …) that cannot be copied to another thread`,
        );
      }
      const home = this.locate(ctor);
      if (home?.spec.kind === "builtin") {
        throw this.refuseValue(
          where,
          `${describe(v)} from Node's \`${home.spec.name}\` module, which holds native state (handles, sockets, streams, listeners) that cannot be copied to another thread`,
        );
      }
      if (analysed.analysis.privateNames) {
        throw this.refuseValue(
          where,
          `${describe(v)}, whose class keeps private fields (#…) that a copy cannot reach`,
          "pass the plain data it holds and rebuild the instance inside the function, or give the class a toJSON/fromJSON pair and call them",
        );
      }
      chain.push(ctor as new (...args: never[]) => unknown);
    }
    const ref = this.reserve();
    this.objects.set(v, ref);
    const first = chain[0];
    if (!first) throw this.refuseValue(where, `${describe(v)}, which Lanes does not know how to copy`);
    const cls = this.fn(first as unknown as (...args: never[]) => unknown, false);
    const entries: [string, NodeRef][] = [];
    for (const key of Object.keys(v)) {
      entries.push([key, this.value((v as Record<string, unknown>)[key], key)]);
    }
    this.nodes[ref] = { t: "instance", cls, entries };
    return ref;
  }

  /**
   * TypeScript's `import * as ns from "m"` (esModuleInterop) makes a fresh object of getters plus a
   * `default` holding the real module: recognise it by that `default`.
   */
  private starImport(v: object): { spec: ModuleSpec; path: readonly string[]; star: boolean } | undefined {
    if (!Object.hasOwn(v, "default")) return undefined;
    const desc = Object.getOwnPropertyDescriptor(v, "default");
    if (!desc || !("value" in desc) || desc.value === null || typeof desc.value !== "object") return undefined;
    const loc = this.locate(desc.value as object);
    return loc && loc.path.length === 0 ? { ...loc, star: true } : undefined;
  }

  private nativeFunction(fn: (...args: never[]) => unknown, bound: boolean): NotShippableError {
    const problem = bound
      ? "a bound function (`obj.method.bind(obj)`), whose target and `this` are hidden from Lanes"
      : "a native function that is not a global or a module export Lanes can find";
    const fix = bound
      ? "pass an arrow function that calls the method, `(x) => obj.method(x)`, with `obj` shippable or created inside"
      : "wrap it in an arrow function that reaches it through a module or a global";
    return this.refuseFunction(bound ? "bound-function" : "native-function", fn.name || "fn", problem, fix);
  }

  private refuseFunction(reason: NotShippableReason, name: string, problem: string, fix: string): NotShippableError {
    return unshippableFunction(reason, this.rootName, this.trail, fnLabel(name), problem, fix);
  }

  private refuseValue(path: string, problem: string, fix?: string, reason?: NotShippableReason): NotShippableError {
    return unshippableValue(this.rootName, this.trail, path, problem, fix, reason);
  }
}

// Identity of each handler-managed object, so the payload id changes when a different one is captured.
const uids = new WeakMap<object, number>();
let nextUid = 1;

function uidOf(v: object): number {
  let id = uids.get(v);
  if (id === undefined) {
    id = nextUid++;
    uids.set(v, id);
  }
  return id;
}

/** A class's token (./class-table): instances that cross with Pool items or results then name this class. */
function classToken(fn: (...args: never[]) => unknown): string | undefined {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn)) ? ownToken(fn) : undefined;
}

function isObjectLike(v: unknown): v is object {
  return (typeof v === "object" && v !== null) || typeof v === "function";
}

