import { existsSync } from "node:fs";
import Module from "node:module";
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
  const cache = (Module as unknown as { _cache: Record<string, NodeJS.Module | undefined> })._cache;
  const out: SideModule[] = [];
  for (const [key, mod] of Object.entries(cache)) {
    if (!mod || !/[\\/]tslab[\\/]dist[\\/]executor\.js$/.test(key)) continue;
    // Latest first: a re-run cell creates a new module for the same file.
    for (const child of [...mod.children].reverse()) {
      if (cache[child.filename] === child) continue;
      const spec = sideModuleSpec(child.filename);
      if (spec) out.push({ spec, module: child });
    }
  }
  return out;
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
