/**
 * Shared objects inside data that crosses by plain structured clone (Pool items, task arguments,
 * initargs, results, Process args) rather than through the ship payload. Structured clone keeps the
 * SharedArrayBuffers shared but drops the classes: a `Lock` arrives as `{ words, base }`, an `Array`
 * as a bare typed array. `packShared` swaps each shared object for a small marked wire before
 * sending; `reviveShared` swaps them back on arrival. Both return their input untouched (no copy, no
 * allocation) when it holds no shared object, and look only into arrays and plain objects.
 *
 * @example
 * port.postMessage(packShared([counter, { lock }]));   // sender
 * const [counter, { lock }] = reviveShared(message);   // receiver: the same shared objects
 */
import { kindOf } from "./brand";
import type { SharedWire } from "./handlers";
import { loadHandlers } from "./register";

/** The marker key: a string, so it survives structured clone (symbols do not). */
export const SHARED_MARK = "__lanesShared__";

interface Marked {
  [SHARED_MARK]: SharedWire;
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === Object.prototype || proto === null;
}

/** `value` with every shared object (at any depth in arrays and plain objects) replaced by its marked wire. */
export function packShared<T>(value: T): T {
  return pack(value, new Map()) as T;
}

function pack(v: unknown, seen: Map<object, unknown>): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (kindOf(v) !== undefined) return { [SHARED_MARK]: loadHandlers().toWire(v as never) } satisfies Marked;
  const isArray = Array.isArray(v);
  if (!isArray && !isPlain(v)) return v;
  if (seen.has(v)) return seen.get(v);
  seen.set(v, v);
  let out: unknown[] | Record<string, unknown> | undefined;
  const src = v as Record<string, unknown>;
  const keys = isArray ? undefined : Object.keys(src);
  const n = isArray ? (v as unknown[]).length : keys!.length;
  for (let i = 0; i < n; i++) {
    const k = isArray ? i : keys![i]!;
    const child = src[k];
    const packed = pack(child, seen);
    if (packed !== child && out === undefined) {
      // Copy on first change only: data without shared objects is sent as it came.
      out = isArray ? [...(v as unknown[])] : { ...src };
      seen.set(v, out);
    }
    if (out !== undefined) (out as Record<string | number, unknown>)[k] = packed;
  }
  return out ?? v;
}

/** The inverse of `packShared`, after structured clone: marked wires become shared objects again, in place. */
export function reviveShared<T>(value: T): T {
  return revive(value, new Set()) as T;
}

function revive(v: unknown, seen: Set<object>): unknown {
  if (typeof v !== "object" || v === null) return v;
  const wire = (v as Partial<Marked>)[SHARED_MARK];
  if (wire !== undefined) return loadHandlers().fromWire(wire);
  const isArray = Array.isArray(v);
  if ((!isArray && !isPlain(v)) || seen.has(v)) return v;
  seen.add(v);
  const o = v as Record<string | number, unknown>;
  if (isArray) {
    for (let i = 0; i < (v as unknown[]).length; i++) {
      const child = o[i];
      if (typeof child === "object" && child !== null) o[i] = revive(child, seen);
    }
  } else {
    for (const k of Object.keys(o)) {
      const child = o[k];
      if (typeof child === "object" && child !== null) o[k] = revive(child, seen);
    }
  }
  return v;
}

/**
 * `reviveShared` for one argument list, one level deep only: what a starmap/apply call does per item,
 * so it costs one property read per argument and never walks into records.
 */
export function reviveArgs(args: unknown[]): unknown[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === "object" && a !== null) {
      const wire = (a as Partial<Marked>)[SHARED_MARK];
      if (wire !== undefined) args[i] = loadHandlers().fromWire(wire);
    }
  }
  return args;
}

/** The sending half of `reviveArgs`: shared objects among `args` (top level only) become marked wires. */
export function packArgs(args: readonly unknown[]): readonly unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (kindOf(a) !== undefined) (out ??= [...args])[i] = { [SHARED_MARK]: loadHandlers().toWire(a as never) } satisfies Marked;
  }
  return out ?? args;
}
