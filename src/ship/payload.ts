/**
 * The wire format of a shipped function: built on the kernel side by `shipFunction`, rebuilt in a
 * worker by `loadShippedFunction`. Everything here is structured-cloneable. Values are a graph of
 * nodes (so shared references, cycles and mutual recursion survive); plain data is one v8-serialized
 * snapshot taken at call time.
 */

/** A function, class, module or value the worker rebuilds: an index into `ShippedFunction.nodes`. */
export type NodeRef = number;

/** Where a module comes from, resolved on the kernel side. */
export type ModuleSpec =
  /** A Node built-in, required by name (`fs`, `node:path`). */
  | { readonly kind: "builtin"; readonly name: string }
  /** A file already loaded in the kernel (absolute path, as in `require.cache`). */
  | { readonly kind: "file"; readonly path: string }
  /** A TypeScript file compiled on the kernel side; its code is in `ShippedFunction.compiled`. */
  | { readonly kind: "compiled"; readonly path: string };

export type WireNode =
  /** `data[i]` of the deserialized data snapshot. */
  | { readonly t: "data"; readonly i: number }
  /** A primitive (undefined, null, boolean, number, bigint, string). */
  | { readonly t: "prim"; readonly v: unknown }
  /** A function or class shipped as source; `binds` supplies its free names. */
  | {
      readonly t: "fn";
      readonly name: string;
      readonly src: string;
      readonly binds: (readonly [string, NodeRef])[];
      /** For a class: its token (./class-table), so instances that cross later name this class. */
      readonly cls?: string;
    }
  /** A global reached by a property path, such as `Math.sqrt`. */
  | { readonly t: "global"; readonly path: readonly string[] }
  /** `require(spec)`, then the property `path`; `star` rebuilds TypeScript's `import * as` wrapper. */
  | { readonly t: "module"; readonly spec: ModuleSpec; readonly path: readonly string[]; readonly star: boolean; readonly cls?: string }
  /** A `require` function resolving from the notebook's folder (`ShippedFunction.baseDir`). */
  | { readonly t: "require" }
  /** An object holding values that are not plain data (functions, instances, shared objects). */
  | { readonly t: "object"; readonly nullProto: boolean; readonly entries: [string, NodeRef][] }
  | { readonly t: "array"; readonly length: number; readonly entries: [number, NodeRef][] }
  | { readonly t: "map"; readonly entries: [NodeRef, NodeRef][] }
  | { readonly t: "set"; readonly items: NodeRef[] }
  /** An instance of a shipped class: `Object.create(cls.prototype)` plus its own properties. */
  | { readonly t: "instance"; readonly cls: NodeRef; readonly entries: [string, NodeRef][] }
  /** A value a transfer handler serialized; `wire` crosses as is (SharedArrayBuffers stay shared). */
  | { readonly t: "handler"; readonly handler: string; readonly uid: number; readonly wire: unknown };

/** TypeScript compiled to CommonJS on the kernel side, because workers have no TypeScript loader. */
export interface CompiledModule {
  /** Absolute path of the `.ts` file (resolution of its own imports starts from its folder). */
  readonly path: string;
  readonly code: string;
}

/**
 * A function ready to cross into a worker (structured-cloneable). Build it with `shipFunction`,
 * rebuild it with `loadShippedFunction`; `id` is the same for the same function and captured values,
 * so a worker rebuilds each payload once.
 */
export interface ShippedFunction {
  readonly id: string;
  /** A name for messages and stack traces. */
  readonly name: string;
  /** The folder modules are resolved from (the kernel's working directory: the notebook's folder). */
  readonly baseDir: string;
  /** The node to call. */
  readonly root: NodeRef;
  readonly nodes: readonly WireNode[];
  /** `v8.serialize` of the plain data captured, taken when the payload was built. */
  readonly data: Uint8Array | null;
  readonly compiled: readonly CompiledModule[];
}
