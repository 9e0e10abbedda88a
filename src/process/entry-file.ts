import { existsSync } from "node:fs";
import { join } from "node:path";

let found: string | undefined;

/**
 * The compiled Process thread entry, preferably bundled into one file (scripts/bundle-worker.mjs:
 * a thread loads one file faster than several) and run through V8's code cache (entry-cached.ts). From dist/process it sits beside this file; when
 * src/ is imported directly (tests), threads still need the compiled file: the project's dist/.
 */
export function processEntryFile(): string {
  if (found !== undefined) return found;
  const dirs = [__dirname, join(__dirname, "..", "..", "dist", "process")];
  const candidates = dirs.flatMap((dir) => [join(dir, "entry-cached.bundle.js"), join(dir, "entry.bundle.js"), join(dir, "entry.js")]);
  found = candidates.find((file) => existsSync(file));
  if (found === undefined) {
    throw new Error(`Lanes cannot find its Process entry file (looked for ${candidates.join(", ")}). Run \`npm run build\`.`);
  }
  return found;
}
