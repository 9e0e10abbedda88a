// Builds the prebuilt labextension with JupyterLab's own builder (`jupyter labextension build`), using
// the project's .venv when it exists. `--if-stale` skips the build when the output is newer than
// every input, so a second set-up run costs nothing. `--development` builds unminified, with source maps.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const output = join(here, "lanes_jupyterlab", "labextension", "package.json");

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

// A failed build can leave package.json behind without the bundles: only a remoteEntry proves a build.
const built = () => existsSync(join(dirname(output), "static")) && readdirSync(join(dirname(output), "static")).some((f) => f.startsWith("remoteEntry."));
if (args.includes("--if-stale") && existsSync(output) && built()) {
  // The renderers bundle lanes/dist/wire/*.js (and nothing else of lanes): any of them changing means a rebuild.
  const wire = dirname(createRequire(join(here, "package.json")).resolve("lanes/dist/wire/mime"));
  const inputs = [join(here, "lib"), join(here, "style"), join(here, "package.json"), join(here, "webpack.config.js"), wire];
  const built = statSync(output).mtimeMs;
  if (inputs.every((p) => newest(p) <= built)) {
    console.log("lanes-jupyterlab: labextension up to date, not rebuilt");
    process.exit(0);
  }
}

const venvJupyter = resolve(here, "..", ".venv", "bin", "jupyter");
const jupyter = existsSync(venvJupyter) ? venvJupyter : "jupyter";
const cmd = ["labextension", "build"];
if (args.includes("--development")) cmd.push("--development", "True");
cmd.push(".");
const run = spawnSync(jupyter, cmd, { cwd: here, stdio: "inherit" });
if (run.error) {
  console.error(`lanes-jupyterlab: could not run '${jupyter}' (${run.error.message}); install JupyterLab 4 first`);
  process.exit(1);
}
process.exit(run.status ?? 1);
