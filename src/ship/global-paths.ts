import { STANDARD_GLOBALS } from "./globals";

let index: Map<unknown, readonly string[]> | undefined;
/** Globals that were lazy getters when the index was built (Node's `fetch`, `Headers`, `WebSocket` …). */
let lazy: string[] = [];

/**
 * The global paths of built-in functions (`Math.sqrt` → `["Math", "sqrt"]`, `parseInt` →
 * `["parseInt"]`): native functions have no source, but every worker has its own copy. Take it once
 * per payload and query the map: checking the lazy globals again costs more than a lookup.
 */
export function globalIndex(): ReadonlyMap<unknown, readonly string[]> {
  if (!index) {
    index = new Map();
    for (const name of STANDARD_GLOBALS) {
      // Reading a lazy global (fetch & co.) loads undici: tens of ms on the first shipFunction.
      // Until someone reads it, nobody can hold its value; once read, Node turns it into a data property.
      if (!addGlobal(index, name)) lazy.push(name);
    }
  } else if (lazy.length > 0) {
    lazy = lazy.filter((name) => !addGlobal(index!, name));
  }
  return index;
}

/** Indexes `globalThis[name]` and its static members; false when it is still an unread lazy getter. */
function addGlobal(into: Map<unknown, readonly string[]>, name: string): boolean {
  const desc = Object.getOwnPropertyDescriptor(globalThis, name);
  // Node's lazy loaders are getters named `get <name>`; other getters (Buffer, process) are cheap.
  if (desc?.get !== undefined && desc.get.name === `get ${name}`) return false;
  const v: unknown = (globalThis as Record<string, unknown>)[name];
  if (v === null || (typeof v !== "object" && typeof v !== "function")) return true;
  if (!into.has(v)) into.set(v, [name]);
  // One level down: static methods and namespace members (Math.max, Object.keys, JSON.parse).
  for (const [key, member] of Object.entries(Object.getOwnPropertyDescriptors(v))) {
    const value: unknown = member.value;
    if (typeof value === "function" && !into.has(value)) into.set(value, [name, key]);
  }
  return true;
}
