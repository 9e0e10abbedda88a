import { existsSync } from "node:fs";
import { requireCache } from "./node-require";
import type { ModuleSpec } from "./payload";

interface TslabGlobal {
  exports: Record<string, unknown>;
  require: NodeJS.Require;
}

/** tslab's per-kernel state, present only inside a tslab kernel. */
export function tslabGlobal(): TslabGlobal | undefined {
  const t = (globalThis as { __tslab__?: Partial<TslabGlobal> }).__tslab__;
  return t && typeof t.exports === "object" ? (t as TslabGlobal) : undefined;
}

/**
 * tslab's cell exports (the values of every top-level name of every cell run so far), or undefined
 * outside tslab.
 */
export function tslabExports(): Record<string, unknown> | undefined {
  return tslabGlobal()?.exports;
}

/** A local module tslab compiled from a notebook's `import "./helpers"`. */
export interface SideModule {
  readonly spec: ModuleSpec;
  readonly module: NodeJS.Module;
}

/**
 * Local `.ts` files a notebook imports are compiled by tslab and loaded as `new Module(…)` outside
 * `require.cache` (executor.js, `requireFromSideOutputs`); Node's Module constructor still lists them
 * as children of their parent, tslab's executor module, which is how they are found here.
 */
export function tslabSideModules(): SideModule[] {
  const cache = requireCache();
  const out: SideModule[] = [];
  for (const mod of executors(cache)) {
    // Latest first: a re-run cell creates a new module for the same file.
    for (const child of [...mod.children].reverse()) {
      if (cache[child.filename] === child) continue;
      const spec = sideModuleSpec(child.filename);
      if (spec) out.push({ spec, module: child });
    }
  }
  return out;
}

/** Changes whenever `tslabSideModules()` may (their parents' child count), and costs far less. */
export function tslabSideModulesStamp(): number {
  let n = 0;
  for (const mod of executors(requireCache())) n += mod.children.length;
  return n;
}

const EXECUTOR = /[\\/]tslab[\\/]dist[\\/]executor\.js$/;
let found: { readonly keys: number; readonly modules: readonly NodeJS.Module[] } | undefined;

/** tslab's executor modules, looked for again only when the module cache grew or shrank. */
function executors(cache: Record<string, NodeJS.Module | undefined>): readonly NodeJS.Module[] {
  const keys = Object.keys(cache);
  if (found?.keys !== keys.length) {
    const modules: NodeJS.Module[] = [];
    for (const key of keys) {
      const mod = cache[key];
      if (mod && EXECUTOR.test(key)) modules.push(mod);
    }
    found = { keys: keys.length, modules };
  }
  return found.modules;
}

const specs = new Map<string, ModuleSpec | undefined>();

function sideModuleSpec(jsFilename: string): ModuleSpec | undefined {
  if (!specs.has(jsFilename)) specs.set(jsFilename, findSource(jsFilename));
  return specs.get(jsFilename);
}

function findSource(jsFilename: string): ModuleSpec | undefined {
  const stem = jsFilename.replace(/\.js$/, "");
  for (const ext of [".ts", ".tsx", ".mts", ".cts"]) {
    if (existsSync(stem + ext)) return { kind: "compiled", path: stem + ext };
  }
  return existsSync(jsFilename) ? { kind: "file", path: jsFilename } : undefined;
}
