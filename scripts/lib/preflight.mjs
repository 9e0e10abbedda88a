// Checks that must pass before any set-up step runs. Kept free of newer syntax and of any npm
// dependency: it runs on a fresh clone, possibly on an old Node, and must fail with one clear line.
import { spawnSync } from "node:child_process";

export class SetupError extends Error {}

const MIN_NODE = 20;
const MIN_PYTHON = [3, 10];

export function checkNode(version = process.versions.node) {
  const major = Number(version.split(".")[0]);
  if (major < MIN_NODE) {
    throw new SetupError(`Lanes needs Node.js >= ${MIN_NODE}; this is Node ${version}. Install Node ${MIN_NODE} or newer and run again.`);
  }
}

/**
 * Entry scripts call this before importing anything else, so that an old Node stops here with one
 * line instead of failing on newer APIs further in.
 */
export function preflightOrExit() {
  try {
    checkNode();
  } catch (err) {
    if (!(err instanceof SetupError)) throw err;
    process.stderr.write("\nlanes: " + err.message + "\n");
    process.exit(1);
  }
}

/** Finds a Python >= 3.10 and returns its command. */
export function findPython() {
  const candidates = process.env.LANES_PYTHON ? [process.env.LANES_PYTHON] : ["python3", "python"];
  const seen = [];
  for (const cmd of candidates) {
    const r = spawnSync(cmd, ["-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8" });
    if (r.error || r.status !== 0) {
      if (r.status !== null && r.status !== 0 && /venv/.test(r.stderr)) seen.push(`${cmd} (no venv module)`);
      continue;
    }
    const [maj, min] = r.stdout.trim().split(".").map(Number);
    if (maj > MIN_PYTHON[0] || (maj === MIN_PYTHON[0] && min >= MIN_PYTHON[1])) return cmd;
    seen.push(`${cmd} ${r.stdout.trim()}`);
  }
  const found = seen.length ? ` (found: ${seen.join(", ")})` : "";
  throw new SetupError(`Lanes needs Python >= ${MIN_PYTHON.join(".")} with its venv module on PATH as python3${found}. Install it (Debian: apt-get install python3 python3-venv) or set LANES_PYTHON, and run again.`);
}
