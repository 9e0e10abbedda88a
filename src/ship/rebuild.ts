// Named imports: `import * as` compiles to an __importStar copy of the whole module, at every thread start.
import { dirname, resolve } from "node:path";
import { runInThisContext } from "node:vm";
import { resolveLocalTypeScript } from "./local-typescript";
import { requireFrom } from "./node-require";
import type { CompiledModule, ModuleSpec, NodeRef, ShippedFunction, WireNode } from "./payload";
import { transferHandlers } from "./transfer-handlers";
import { remember } from "./class-table";

// Every new worker thread loads this file: node:module, which only payloads with module references
// need, is required on first use (loading it up front cost each worker a measurable part of its start-up).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load
const lazyModule = (): typeof import("node:module") => require("node:module") as typeof import("node:module");

/**
 * Worker side: rebuilds the callable a `shipFunction` payload describes (its source evaluated with its
 * free names bound to the captured values, modules required from the notebook's folder). Every call
 * rebuilds: the worker entry keeps what it rebuilt by `payload.id` (src/worker/entry.ts), so a
 * payload is rebuilt once per worker.
 *
 * @throws Error when a module cannot be loaded in the worker or the payload is malformed.
 */
export function loadShippedFunction(payload: ShippedFunction): (...args: unknown[]) => unknown {
  const rebuilder = new Rebuilder(payload);
  const value = rebuilder.build(payload.root);
  rebuilder.finish();
  if (typeof value !== "function") throw new TypeError(`shipped value ${payload.name} is ${typeof value}, not a function`);
  return value as (...args: unknown[]) => unknown;
}

class Rebuilder {
  private readonly built = new Map<NodeRef, unknown>();
  private data: unknown[] | undefined;
  private requireFn: NodeJS.Require | undefined;
  private readonly compiled: Map<string, CompiledModule>;
  /** Classes being created: their `extends` and static parts run at creation, so they wait for their bindings. */
  private readonly creating = new Set<NodeRef>();
  private readonly fixups: (() => void)[] = [];

  constructor(private readonly payload: ShippedFunction) {
    this.compiled = new Map(payload.compiled.map((m) => [m.path, m]));
  }

  /** A `require` resolving from the notebook's folder, made on first use. */
  private get require(): NodeJS.Require {
    return (this.requireFn ??= requireFrom(this.payload.baseDir));
  }

  build(ref: NodeRef): unknown {
    if (this.built.has(ref)) return this.built.get(ref);
    // A class referred to while its own bindings are built (a cycle): bound again by finish().
    if (this.creating.has(ref)) return undefined;
    const node = this.payload.nodes[ref];
    if (!node) throw new Error(`malformed payload ${this.payload.name}: no node ${ref}`);
    return this.make(ref, node);
  }

  /** Binds again the classes created before everything they refer to existed. */
  finish(): void {
    for (const fixup of this.fixups) fixup();
  }

  /** Containers are registered before their contents are built, so cycles close on themselves. */
  private make(ref: NodeRef, node: WireNode): unknown {
    const done = <T>(v: T): T => {
      this.built.set(ref, v);
      return v;
    };
    switch (node.t) {
      case "prim":
        return done(node.v);
      case "data":
        // node:v8 costs a new worker 1-2.5 ms to load: only payloads with captured data need it.
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load
        this.data ??= this.payload.data ? ((require("node:v8") as typeof import("node:v8")).deserialize(this.payload.data) as unknown[]) : [];
        return done(this.data[node.i]);
      case "global":
        return done(follow(globalThis, node.path));
      case "require":
        return done(this.require);
      case "module": {
        const mod = this.loadModule(node.spec);
        const value = follow(mod, node.path);
        if (node.cls !== undefined && typeof value === "function") remember(value, node.cls, true);
        return done(node.star ? importStar(value) : value);
      }
      case "handler": {
        const handler = transferHandlers.get(node.handler);
        if (!handler) {
          throw new Error(
            `no transfer handler "${node.handler}" is registered in this worker: register it in the workers too, from the pool's initializer ` +
              `(new Pool({ initializer: () => registerTransferHandler("${node.handler}", handler) }))`,
          );
        }
        return done(handler.deserialize(node.wire));
      }
      case "object": {
        const o = done((node.nullProto ? Object.create(null) : {}) as Record<string, unknown>);
        for (const [k, r] of node.entries) o[k] = this.build(r);
        return o;
      }
      case "array": {
        const a = done(new Array<unknown>(node.length));
        for (const [i, r] of node.entries) a[i] = this.build(r);
        return a;
      }
      case "map": {
        const m = done(new Map<unknown, unknown>());
        for (const [k, v] of node.entries) m.set(this.build(k), this.build(v));
        return m;
      }
      case "set": {
        const s = done(new Set<unknown>());
        for (const r of node.items) s.add(this.build(r));
        return s;
      }
      case "instance": {
        const cls = this.build(node.cls) as { prototype: object };
        const o = done(Object.create(cls.prototype) as Record<string, unknown>);
        for (const [k, r] of node.entries) o[k] = this.build(r);
        return o;
      }
      case "fn": {
        const [bind, create] = this.evaluate(node);
        const values = (): unknown[] => node.binds.map(([, r]) => this.build(r));
        if (/^\(class[\s{]/.test(node.src)) {
          this.creating.add(ref);
          bind(values());
          this.creating.delete(ref);
          const cls = done(create());
          this.fixups.push(() => bind(values()));
          if (node.cls !== undefined && typeof cls === "function") remember(cls, node.cls, true);
          return cls;
        }
        // Bound after registering: a function may refer to itself or to one that refers back.
        const fn = done(create());
        bind(values());
        return fn;
      }
    }
  }

  /**
   * Evaluates a function's source inside a scope declaring its free names, returning the function and
   * a setter for those names (values are assigned after, so mutually recursive functions can see each
   * other). Sloppy mode, like tslab's cells.
   */
  private evaluate(node: Extract<WireNode, { t: "fn" }>): [(values: unknown[]) => void, () => unknown] {
    const names = node.binds.map(([n]) => n);
    let param = "__lanes_values";
    while (names.includes(param)) param += "_";
    const decl = names.length > 0 ? `var ${names.join(", ")}; ` : "";
    const assign = names.map((n, i) => `${n} = ${param}[${i}];`).join(" ");
    // The source starts the script's first line, so the worker's stack lines match the function's lines.
    const code = `(function () { ${decl}return [function (${param}) { ${assign} }, function () { return ${node.src}; }]; })`;
    const factory = runInThisContext(code, { filename: `lanes-shipped/${this.payload.name}/${node.name}.js` }) as () => [(v: unknown[]) => void, () => unknown];
    return factory();
  }

  private loadModule(spec: ModuleSpec): unknown {
    switch (spec.kind) {
      case "builtin":
      case "file":
        return this.require(spec.kind === "builtin" ? spec.name : spec.path);
      case "compiled":
        return loadCompiled(spec.path, this.compiled);
    }
  }
}

const compiledModules = new Map<string, { code: string; module: NodeJS.Module }>();

/** Loads TypeScript compiled on the kernel side, once per file and content in this worker. */
function loadCompiled(file: string, available: ReadonlyMap<string, CompiledModule>): unknown {
  const entry = available.get(file);
  const cached = compiledModules.get(file);
  if (cached && (!entry || cached.code === entry.code)) return cached.module.exports;
  if (!entry) throw new Error(`TypeScript module ${file} was not shipped with the function`);
  const Module = lazyModule();
  const internal = Module as unknown as { _nodeModulePaths(dir: string): string[] };
  const mod = new Module(file) as NodeJS.Module & { _compile(code: string, filename: string): void };
  mod.filename = file;
  mod.paths = internal._nodeModulePaths(dirname(file));
  const plain = mod.require.bind(mod);
  // Its own relative imports of other local .ts files go to their compiled code too.
  mod.require = Object.assign((request: string): unknown => {
    if (request.startsWith(".")) {
      const ts = resolveLocalTypeScript(resolve(dirname(file), request));
      if (ts) return loadCompiled(ts, available);
    }
    return plain(request);
  }, plain) as NodeJS.Require;
  compiledModules.set(file, { code: entry.code, module: mod });
  mod._compile(entry.code, file);
  mod.loaded = true;
  return mod.exports;
}

/** `from[keys[0]][keys[1]]…` */
function follow(from: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], from);
}

/** TypeScript's `__importStar` (esModuleInterop), so `import * as ns` reads the same in the worker. */
function importStar(mod: unknown): unknown {
  if (mod !== null && typeof mod === "object" && (mod as { __esModule?: unknown }).__esModule) return mod;
  const result: Record<string, unknown> = {};
  if (mod !== null && mod !== undefined) {
    for (const k of Object.keys(mod)) {
      if (k !== "default") Object.defineProperty(result, k, { enumerable: true, get: () => (mod as Record<string, unknown>)[k] });
    }
  }
  Object.defineProperty(result, "default", { enumerable: true, value: mod });
  return result;
}
