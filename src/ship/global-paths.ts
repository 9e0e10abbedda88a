import { STANDARD_GLOBALS } from "./globals";

let index: Map<unknown, readonly string[]> | undefined;

/**
 * The global path of a built-in function (`Math.sqrt` → `["Math", "sqrt"]`, `parseInt` →
 * `["parseInt"]`): native functions have no source, but every worker has its own copy.
 */
export function locateGlobal(fn: object): readonly string[] | undefined {
  if (!index) {
    index = new Map();
    const g = globalThis as Record<string, unknown>;
    for (const name of STANDARD_GLOBALS) {
      const v = g[name];
      if (v === null || (typeof v !== "object" && typeof v !== "function")) continue;
      if (!index.has(v)) index.set(v, [name]);
      // One level down: static methods and namespace members (Math.max, Object.keys, JSON.parse).
      for (const [key, desc] of Object.entries(Object.getOwnPropertyDescriptors(v))) {
        const member: unknown = desc.value;
        if (typeof member === "function" && !index.has(member)) index.set(member, [name, key]);
      }
    }
  }
  return index.get(fn);
}
