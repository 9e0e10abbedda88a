import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The compiled worker entry, preferably bundled into one file (scripts/bundle-worker.mjs: a new
 * worker loads it faster) and run from V8's code cache. From dist/pool it sits next door in dist/worker; when src/ is imported
 * directly (tests), workers still need the compiled file, so fall back to the project's dist/.
 */
export function workerFile(): string {
  const dirs = [join(__dirname, "..", "worker"), join(__dirname, "..", "..", "dist", "worker")];
  // entry-cached runs the bundle through V8's code cache (src/worker/code-cache.ts).
  const candidates = dirs.flatMap((dir) => [join(dir, "entry-cached.bundle.js"), join(dir, "entry.bundle.js"), join(dir, "entry.js")]);
  const found = candidates.find((file) => existsSync(file));
  if (found === undefined) {
    throw new Error(`Lanes cannot find its worker entry file (looked for ${candidates.join(", ")}). Run \`npm run build\`.`);
  }
  return found;
}
