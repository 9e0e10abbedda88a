/**
 * Finds what structured clone would refuse in a task's result, before the worker posts it: a clone
 * failure inside piscina's postMessage ends the worker thread, and with it every other result of the
 * batch. Walks what structured clone walks (own enumerable properties of objects and class instances,
 * array elements, Map and Set entries) and stops at what it copies whole (typed arrays, Dates, errors …).
 */

/** Objects structured clone refuses whatever they hold. */
const REFUSED: readonly (abstract new (...args: never[]) => unknown)[] = [Promise, WeakMap, WeakSet, WeakRef, FinalizationRegistry];

/** Nodes visited before the check gives up (and lets postMessage decide): results this large are rare. */
const MAX_NODES = 1_000_000;

/** A description of the first value in `value` that cannot be cloned (`a function (onData) at .handlers[0]`), or undefined. */
export function findUncloneable(value: unknown): string | undefined {
  // The common results, a flat record or tuple of primitives, are answered without allocating.
  if (flat(value)) return undefined;
  const seen = new Set<object>();
  let budget = MAX_NODES;
  const visit = (v: unknown, path: string): string | undefined => {
    if (typeof v === "function") return `a function${v.name ? ` (${v.name})` : ""}${at(path)}`;
    if (typeof v === "symbol") return `a symbol (${v.toString()})${at(path)}`;
    if (typeof v !== "object" || v === null || seen.has(v) || --budget < 0) return undefined;
    seen.add(v);
    for (const Refused of REFUSED) if (v instanceof Refused) return `a ${Refused.name}${at(path)}`;
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof SharedArrayBuffer || v instanceof Date || v instanceof RegExp || v instanceof Error) return undefined;
    if (v instanceof Map) {
      let k = 0;
      for (const [key, item] of v) {
        const found = visit(key, `${path}.<key ${k}>`) ?? visit(item, `${path}.<value ${k}>`);
        if (found !== undefined) return found;
        k++;
      }
      return undefined;
    }
    if (v instanceof Set) {
      let k = 0;
      for (const item of v) {
        const found = visit(item, `${path}.<item ${k++}>`);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const found = visit(v[i], `${path}[${i}]`);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    for (const key of Object.keys(v)) {
      const found = visit((v as Record<string, unknown>)[key], `${path}.${key}`);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(value, "");
}

/** True for a plain object or array whose values are all primitives (no function or symbol among them). */
function flat(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!primitive(v[i])) return false;
    return true;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const key in v) if (!primitive((v as Record<string, unknown>)[key])) return false;
  return true;
}

function primitive(v: unknown): boolean {
  const t = typeof v;
  return t === "object" ? v === null : t !== "function" && t !== "symbol";
}

function at(path: string): string {
  return path === "" ? "" : ` at ${path.startsWith(".") ? path.slice(1) : path}`;
}
