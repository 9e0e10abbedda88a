/**
 * Whether a run of items holds a class instance anywhere (./instance-codec must then carry it), asked
 * of every run that is not all numbers. Kept cheap for the common answer, "no": primitives cost one
 * `typeof`, and containers are walked without an identity map — a depth limit stands in for cycle
 * detection, and a visit budget for shared sub-objects. Only data past either limit (deep, cyclic or
 * heavily shared) is walked again with an identity map.
 */
import { isInstance } from "./instance-codec";

const MAX_DEPTH = 24;

class Limit extends Error {}
const LIMIT = new Limit();

export function holdsInstances(values: ArrayLike<unknown>, from = 0, to = values.length): boolean {
  // About what structured clone itself visits, plus slack for small runs of nested data.
  let budget = 64 * (to - from) + 4096;
  const fast = (v: object, depth: number): boolean => {
    if (--budget < 0 || depth > MAX_DEPTH) throw LIMIT;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === "object" && x !== null && fast(x, depth + 1)) return true;
      }
      return Object.getPrototypeOf(v) !== Array.prototype;
    }
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Object.prototype || proto === null) {
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (typeof x === "object" && x !== null && fast(x, depth + 1)) return true;
      }
      return false;
    }
    if (proto === Map.prototype) {
      for (const [k, x] of v as Map<unknown, unknown>) {
        if ((typeof k === "object" && k !== null && fast(k, depth + 1)) || (typeof x === "object" && x !== null && fast(x, depth + 1))) return true;
      }
      return false;
    }
    if (proto === Set.prototype) {
      for (const x of v as Set<unknown>) if (typeof x === "object" && x !== null && fast(x, depth + 1)) return true;
      return false;
    }
    return isInstance(v);
  };
  try {
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (typeof v === "object" && v !== null && fast(v, 0)) return true;
    }
    return false;
  } catch (error) {
    if (error !== LIMIT) throw error;
  }
  const seen = new Set<object>();
  const slow = (v: object): boolean => {
    if (seen.has(v)) return false;
    seen.add(v);
    let children: Iterable<unknown>;
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) return true;
      children = v;
    } else {
      const proto = Object.getPrototypeOf(v) as object | null;
      if (proto === Object.prototype || proto === null) children = Object.values(v);
      else if (proto === Map.prototype) children = [...(v as Map<unknown, unknown>)].flat();
      else if (proto === Set.prototype) children = v as Set<unknown>;
      else return isInstance(v);
    }
    for (const x of children) if (typeof x === "object" && x !== null && slow(x)) return true;
    return false;
  };
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (typeof v === "object" && v !== null && slow(v)) return true;
  }
  return false;
}
