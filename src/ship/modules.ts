import Module from "node:module";
import { requireCache } from "./node-require";
import type { ModuleSpec } from "./payload";
import { tslabSideModules, tslabSideModulesStamp } from "./tslab";

const loadBuiltinModule = Module.createRequire(__filename);

/** Where a value lives among the kernel's loaded modules. */
export interface ModuleLocation {
  readonly spec: ModuleSpec;
  /** `[]` for the module itself, `["name"]` for one of its exports. */
  readonly path: readonly string[];
}

// Built-ins a notebook is likely to import. Requiring every builtin would print deprecation
// warnings (`punycode`, `sys`) and load modules nobody asked for.
const BUILTINS = [
  "assert", "buffer", "child_process", "crypto", "dns", "events", "fs", "fs/promises", "http", "https", "net", "os",
  "path", "perf_hooks", "querystring", "readline", "stream", "stream/promises", "string_decoder", "timers",
  "timers/promises", "url", "util", "v8", "vm", "worker_threads", "zlib",
];

interface Index {
  readonly byValue: Map<unknown, ModuleLocation>;
  readonly stamp: string;
}

let index: Index | undefined;

/**
 * The identity index of loaded modules (`require.cache`, Node built-ins and tslab's compiled local
 * `.ts` modules; each module's exports object and its exported values), rebuilt only when modules were
 * loaded since. TypeScript keeps no record of the specifier a notebook imported, so identity is the
 * only link back. Take it once per payload and query the map: checking for new modules costs more
 * than a lookup.
 */
export function moduleIndex(): ReadonlyMap<unknown, ModuleLocation> {
  return currentIndex().byValue;
}

function currentIndex(): Index {
  const cache = requireCache();
  const stamp = `${Object.keys(cache).length}:${tslabSideModulesStamp()}:${loadList()?.length ?? -1}`;
  if (index?.stamp === stamp) return index;

  const byValue = new Map<unknown, ModuleLocation>();
  // Later entries do not overwrite earlier ones: builtins first, so `fs.readFileSync` is found as
  // `fs`'s own rather than as a re-export of some package.
  const add = (spec: ModuleSpec, exports: unknown): void => {
    if (exports === null || (typeof exports !== "object" && typeof exports !== "function")) return;
    if (!byValue.has(exports)) byValue.set(exports, { spec, path: [] });
    for (const [key, desc] of Object.entries(Object.getOwnPropertyDescriptors(exports))) {
      // Only plain data properties: a getter may be lazy or have side effects.
      const v: unknown = desc.value;
      if (key === "default" && v === exports) continue;
      if (v !== null && (typeof v === "object" || typeof v === "function") && !byValue.has(v)) byValue.set(v, { spec, path: [key] });
    }
  };
  for (const name of loadedBuiltins()) add({ kind: "builtin", name }, loadBuiltin(name));
  for (const m of tslabSideModules()) add(m.spec, m.module.exports);
  for (const [path, mod] of Object.entries(cache)) if (mod?.loaded) add({ kind: "file", path }, mod.exports);
  index = { byValue, stamp };
  return index;
}

/**
 * The BUILTINS already loaded: a value can only come from a module someone loaded, and requiring
 * the rest (http, zlib, child_process …) made the first shipFunction call tens of ms slower.
 * `process.moduleLoadList` is Node's record of loaded built-ins; without it, take them all.
 */
function loadedBuiltins(): readonly string[] {
  const list = loadList();
  if (!list) return BUILTINS;
  const loaded = new Set(list);
  return BUILTINS.filter((name) => loaded.has(`NativeModule ${name}`));
}

function loadList(): readonly string[] | undefined {
  const list = (process as { moduleLoadList?: readonly string[] }).moduleLoadList;
  return Array.isArray(list) ? list : undefined;
}

function loadBuiltin(name: string): unknown {
  try {
    return loadBuiltinModule(name);
  } catch {
    return undefined;
  }
}
