// Installs the built labextension into the project's .venv (`pip install --no-build-isolation .`),
// unless the copy installed there is already this build: the labextension's package.json names the
// content-hashed remoteEntry file, so equal files mean an equal build.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const venv = resolve(here, "..", ".venv");
const built = join(here, "lanes_jupyterlab", "labextension", "package.json");
const installed = join(venv, "share", "jupyter", "labextensions", "lanes-jupyterlab", "package.json");

if (!existsSync(built)) {
  console.error("lanes-jupyterlab: not built yet; run `npm run build -w extension` first");
  process.exit(1);
}
if (existsSync(installed) && readFileSync(installed, "utf8") === readFileSync(built, "utf8")) {
  console.log("lanes-jupyterlab: already installed in .venv");
  process.exit(0);
}
const pip = join(venv, "bin", "pip");
const run = spawnSync(pip, ["install", "--quiet", "--no-build-isolation", here], { stdio: "inherit" });
if (run.error) {
  console.error(`lanes-jupyterlab: could not run '${pip}' (${run.error.message}); create the .venv first`);
  process.exit(1);
}
process.exit(run.status ?? 1);
