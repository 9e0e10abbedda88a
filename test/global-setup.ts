import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * Workers load the compiled worker entry (dist/worker/entry.js): piscina cannot run .ts in a thread.
 * Build once before the unit tests. Type errors elsewhere do not stop tsc from emitting, so only a
 * missing entry file fails the run.
 */
export default function setup(): void {
  const root = join(__dirname, "..");
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root, encoding: "utf8" });
  const entry = join(root, "dist", "worker", "entry.js");
  if (!existsSync(entry)) {
    throw new Error(`the build did not produce ${entry}:\n${result.stdout}${result.stderr}`);
  }
}
