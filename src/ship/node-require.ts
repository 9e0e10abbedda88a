import Module from "node:module";
import * as path from "node:path";

/** Node's `require.cache`, by absolute path (`Module._cache`: the same object, reachable from any file). */
export function requireCache(): Record<string, NodeJS.Module | undefined> {
  return (Module as unknown as { _cache: Record<string, NodeJS.Module | undefined> })._cache;
}

/** A `require` resolving from `dir`, as a file in that folder would. */
export function requireFrom(dir: string): NodeJS.Require {
  return Module.createRequire(path.join(dir, "__lanes__.js"));
}
