/**
 * Which local TypeScript file a relative import means. Kept apart from compile-ts.ts (acorn, the
 * TypeScript compiler): workers need this to load shipped modules, and nothing else from there.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The `.ts` file a relative import means, when it is one: `./x`, `./x.js` (TypeScript's own spelling
 * for `./x.ts`), `./x.ts`, `./x/index.ts`. Undefined when a real JavaScript file answers instead.
 */
export function resolveLocalTypeScript(request: string): string | undefined {
  if (/\.(c|m)?tsx?$/.test(request)) return existsSync(request) ? request : undefined;
  const stem = request.replace(/\.(c|m)?js$/, "");
  if (stem === request && existsSync(request + ".js")) return undefined;
  for (const candidate of [stem + ".ts", stem + ".tsx", join(request, "index.ts")]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
