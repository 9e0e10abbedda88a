import { existsSync } from "node:fs";
import { join } from "node:path";

/** The compiled `lanes` CLI (dist/distributed/cli.js); from src/ (tests) the project's dist/. */
export function cliFile(): string {
  const candidates = [join(__dirname, "cli.js"), join(__dirname, "..", "..", "dist", "distributed", "cli.js")];
  const found = candidates.find((file) => existsSync(file));
  if (found === undefined) throw new Error(`Lanes cannot find its CLI (looked for ${candidates.join(", ")}). Run \`npm run build\`.`);
  return found;
}
