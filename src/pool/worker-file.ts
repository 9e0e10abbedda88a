import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The compiled worker entry. From dist/pool it sits next door in dist/worker; when src/ is imported
 * directly (tests), workers still need the compiled file, so fall back to the project's dist/.
 */
export function workerFile(): string {
  const candidates = [join(__dirname, "..", "worker", "entry.js"), join(__dirname, "..", "..", "dist", "worker", "entry.js")];
  const found = candidates.find((file) => existsSync(file));
  if (found === undefined) {
    throw new Error(`Lanes cannot find its worker entry file (looked for ${candidates.join(", ")}). Run \`npm run build\`.`);
  }
  return found;
}
