import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import { serialize } from "node:v8";
import { NotShippableError } from "../errors";
import { ValueGraphBuilder } from "./value-graph";
import { resolveLocalTypeScript } from "./local-typescript";
import { requireFrom } from "./node-require";
import type { ModuleSpec, ShippedFunction, WireNode } from "./payload";

/** A function exported by a module file, like piscina's `filename` + `name`. */
export interface TaskFunctionRef {
  /** `./tasks.js`, `./tasks.ts` (relative to the working directory: the notebook's folder), an absolute path, or a package name. */
  module: string;
  /** The export to call. */
  name: string;
}

/** What a pool runs: a function (shipped with what it refers to) or a module function reference. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any argument list: the pool types the call
export type TaskFunction = ((...args: any[]) => unknown) | TaskFunctionRef;

/** Options of `shipFunction`. */
export interface ShipOptions {
  /**
   * Values for names the function refers to, passed explicitly. They win over every other way of
   * finding a name and, like every captured value, are snapshots taken when the call starts.
   * @example pool.map((x) => x * scale, xs, { context: { scale } })
   */
  context?: Record<string, unknown>;
}

const cache = new WeakMap<object, ShippedFunction>();
const refCache = new Map<string, ShippedFunction>();

/**
 * Kernel side: builds a structured-cloneable payload for `fn` once per call. The function's source is
 * parsed, its free names resolved (notebook cells, closures, `context`, globals, modules) and the
 * values they hold captured: plain data as a snapshot taken now (structured-clone semantics: later
 * changes in the notebook are not seen, changes made in a worker stay there), other functions shipped
 * recursively, modules re-required in the worker, classes shipped with their instances, shared objects
 * through their transfer handlers. The same payload object is returned while the function and its
 * captured values are unchanged, and its `id` lets workers rebuild it once.
 *
 * Pools call it for you; call it yourself to learn, without a pool, whether a function can cross.
 * @example mp.shipFunction(describe) // throws NotShippableError naming what cannot be shipped
 * @throws NotShippableError before anything is dispatched, naming the variable, where it is
 *   referenced, and what to do, when something the function needs cannot cross into a worker.
 */
export function shipFunction(fn: TaskFunction, options?: ShipOptions): ShippedFunction {
  const baseDir = process.cwd();
  const builder = new ValueGraphBuilder(baseDir, options?.context);
  let root: number;
  let name: string;
  if (typeof fn === "function") {
    root = builder.root(fn);
    name = fn.name || "anonymous";
  } else if (isRef(fn)) {
    root = builder.module(resolveRef(fn, baseDir), [fn.name]);
    name = fn.name;
  } else {
    throw new TypeError(`expected a function or { module, name }, got ${typeof fn}`);
  }

  const data = builder.data.length > 0 ? new Uint8Array(serialize(builder.data)) : null;
  const compiled = [...builder.compiled.values()];
  const id = fingerprint(baseDir, root, builder.nodes, data, compiled);
  const key = typeof fn === "function" ? undefined : `${fn.module}\0${fn.name}`;
  const previous = key === undefined ? cache.get(fn) : refCache.get(key);
  if (previous?.id === id) return previous;

  const payload: ShippedFunction = { id, name, baseDir, root, nodes: builder.nodes, data, compiled };
  if (key === undefined) cache.set(fn, payload);
  else refCache.set(key, payload);
  return payload;
}

function isRef(fn: unknown): fn is TaskFunctionRef {
  return typeof fn === "object" && fn !== null && typeof (fn as TaskFunctionRef).module === "string" && typeof (fn as TaskFunctionRef).name === "string";
}

/** Resolves `{ module }` on the kernel side, so the worker requires an absolute path (or a built-in). */
function resolveRef(ref: TaskFunctionRef, baseDir: string): ModuleSpec {
  const request = ref.module;
  if (request.startsWith(".") || path.isAbsolute(request)) {
    const abs = path.resolve(baseDir, request);
    const ts = resolveLocalTypeScript(abs);
    if (ts) return { kind: "compiled", path: ts };
    if (existsSync(abs)) return { kind: "file", path: abs };
  }
  if (Module.isBuiltin(request)) return { kind: "builtin", name: request };
  try {
    return { kind: "file", path: requireFrom(baseDir).resolve(request) };
  } catch (err) {
    throw new NotShippableError(
      `Cannot ship { module: "${request}", name: "${ref.name}" }: no such module from ${baseDir}. ` +
        `Fix: give a path relative to the working directory (the notebook's folder), such as "./tasks.js", or an absolute path.`,
      { reason: "module-not-found", functionName: ref.name, cause: err },
    );
  }
}

function fingerprint(baseDir: string, root: number, nodes: readonly WireNode[], data: Uint8Array | null, compiled: ShippedFunction["compiled"]): string {
  const hash = createHash("sha1");
  // Handler wire values may hold SharedArrayBuffers: their identity (`uid`) stands for them.
  const json = JSON.stringify([baseDir, root, nodes, compiled], (key, value: unknown) => {
    if (key === "wire") return undefined;
    if (value === undefined) return { $u: 1 };
    if (typeof value === "bigint") return { $b: value.toString() };
    if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0))) return { $n: String(Object.is(value, -0) ? "-0" : value) };
    return value;
  });
  hash.update(json);
  if (data) hash.update(data);
  return hash.digest("base64url");
}
