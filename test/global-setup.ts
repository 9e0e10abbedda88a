import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * Workers load the compiled worker entry (dist/worker/entry.js): piscina cannot run .ts in a thread.
 * Build (and bundle the worker entry) once before the unit tests. Type errors elsewhere do not stop tsc from emitting, so only a
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
  // Workers load the bundled entry when it exists: rebuild it too, or tests would run a stale one.
  const bundle = spawnSync(process.execPath, [join(root, "scripts", "bundle-worker.mjs")], { cwd: root, encoding: "utf8" });
  if (bundle.status !== 0) throw new Error(`bundling the worker entry failed:\n${bundle.stdout}${bundle.stderr}`);
}
