import type ModuleType from "node:module";
// Named imports: `import * as` compiles to an __importStar copy of the whole module, at every thread start.
import { join } from "node:path";

// Loaded on first use: worker threads load this file at start-up, and most payloads never need it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load
const nodeModule = (): typeof ModuleType => require("node:module") as typeof ModuleType;

/** Node's `require.cache`, by absolute path (`Module._cache`: the same object, reachable from any file). */
export function requireCache(): Record<string, NodeJS.Module | undefined> {
  return (nodeModule() as unknown as { _cache: Record<string, NodeJS.Module | undefined> })._cache;
}

/** A `require` resolving from `dir`, as a file in that folder would. */
export function requireFrom(dir: string): NodeJS.Require {
  return nodeModule().createRequire(join(dir, "__lanes__.js"));
}
