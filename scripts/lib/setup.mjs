// Every set-up step `npm start` and `npm test` need, each skipped when its inputs are unchanged.
import { existsSync, lstatSync, readFileSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { checkNode, findPython, SetupError } from "./preflight.mjs";
import { hashInputs, stampMatches, writeStamp } from "./stamp.mjs";
import { run } from "./run.mjs";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const venv = join(root, ".venv");
export const venvBin = join(venv, "bin");
const logDir = join(root, ".lanes", "logs");

function say(line) {
  process.stderr.write(`lanes set-up: ${line}\n`);
}

async function step(name, { inputs, extra = [], stamp, check = () => true }, action) {
  const hash = hashInputs(inputs.map((p) => join(root, p)), extra);
  if (stampMatches(stamp, hash) && check()) {
    say(`${name}: up to date`);
    return;
  }
  const t0 = Date.now();
  say(`${name} …`);
  await action();
  writeStamp(stamp, hash);
  say(`${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Environment for commands that must see the project's `.venv` first (jupyter, pip). */
export function venvEnv() {
  return { ...process.env, PATH: `${venvBin}:${join(root, "node_modules", ".bin")}:${process.env.PATH}`, VIRTUAL_ENV: venv };
}

export async function setup() {
  checkNode();
  const python = findPython();
  const opts = (label, hint) => ({ cwd: root, env: venvEnv(), logDir, label, hint });

  await step(
    "npm dependencies",
    {
      inputs: ["package.json", "package-lock.json", "extension/package.json"],
      stamp: join(root, "node_modules", ".lanes-stamp"),
      check: () => existsSync(join(root, "node_modules", ".bin", "tslab")),
    },
    () => run("npm", ["ci", "--no-audit", "--no-fund"], opts("npm ci", "Is npm (>= 10) on PATH and the npm registry reachable?")),
  );
  linkSelf();

  const pyVersion = spawnSync(python, ["--version"], { encoding: "utf8" }).stdout.trim();
  await step(
    "Python environment (.venv)",
    {
      inputs: ["binder/requirements.txt"],
      extra: [pyVersion],
      stamp: join(venv, ".lanes-stamp"),
      check: () => existsSync(join(venvBin, "jupyter-lab")),
    },
    async () => {
      if (!existsSync(join(venvBin, "python"))) {
        await run(python, ["-m", "venv", venv], opts("python -m venv", "On Debian: apt-get install python3-venv."));
      }
      await run(join(venvBin, "python"), ["-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", "binder/requirements.txt"], opts("pip install", "Is PyPI reachable?"));
    },
  );

  await step(
    "lanes library (dist/)",
    {
      inputs: ["src", "tsconfig.json", "tsconfig.build.json", "package.json", "scripts/bundle-worker.mjs"],
      stamp: join(root, "dist", ".lanes-stamp"),
      check: () => existsSync(join(root, "dist", "index.js")) && existsSync(join(root, "dist", "worker", "entry.bundle.js")) && existsSync(join(root, "dist", "process", "entry.bundle.js")),
    },
    async () => {
      await run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], opts("build lanes (tsc)"));
      await run(process.execPath, [join(root, "scripts", "bundle-worker.mjs")], opts("bundle the worker entries"));
    },
  );

  if (existsSync(join(root, "extension", "package.json"))) {
    await step(
      "JupyterLab extension",
      {
        // src/wire: the one part of lanes the extension bundles (lint keeps its imports inside that folder).
        inputs: ["extension/src", "extension/style", "extension/scripts", "extension/package.json", "extension/pyproject.toml", "extension/tsconfig.json", "extension/install.json", "extension/lanes_jupyterlab/__init__.py", "src/wire"],
        extra: [pyVersion],
        stamp: join(venv, ".lanes-extension-stamp"),
      },
      async () => {
        await run("npm", ["run", "build", "-w", "extension"], opts("build extension"));
        await run(join(venvBin, "python"), ["-m", "pip", "install", "--disable-pip-version-check", "-q", "--no-build-isolation", "--no-deps", "--force-reinstall", "./extension"], opts("pip install ./extension"));
      },
    );
  }

  const tslabBin = join(root, "node_modules", ".bin", "tslab");
  const kernelDir = join(venv, "share", "jupyter", "kernels", "tslab");
  await step(
    "tslab kernelspec",
    {
      inputs: ["node_modules/tslab/package.json"],
      extra: [tslabBin, venv],
      stamp: join(venv, ".lanes-kernel-stamp"),
      check: () => existsSync(join(kernelDir, "kernel.json")) && readFileSync(join(kernelDir, "kernel.json"), "utf8").includes(tslabBin),
    },
    () => run(tslabBin, ["install", "--python", join(venvBin, "python"), "--binary", tslabBin, "--prefix", venv], opts("tslab install")),
  );
}

/**
 * `require("lanes")` from a notebook must find this checkout: node_modules/lanes → project root.
 * And tslab's TypeScript fork (5.0) also declares a `tsc` bin; whichever npm links last wins, so
 * point `tsc` back at the project's own TypeScript.
 */
function linkSelf() {
  const link = join(root, "node_modules", "lanes");
  try {
    lstatSync(link);
  } catch {
    symlinkSync("..", link, "dir");
  }
  for (const name of ["tsc", "tsserver"]) {
    const bin = join(root, "node_modules", ".bin", name);
    const target = join("..", "typescript", "bin", name);
    if (existsSync(bin) && readlinkSync(bin) === target) continue;
    rmSync(bin, { force: true });
    symlinkSync(target, bin);
  }
}

/** Runs `fn` and turns a SetupError into one line on stderr and exit code 1. */
export async function main(fn) {
  try {
    await fn();
  } catch (err) {
    if (err instanceof SetupError) {
      process.stderr.write(`\nlanes: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
