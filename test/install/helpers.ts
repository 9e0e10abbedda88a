// What the install tests share: running a command with its output kept for the failure message, a
// fresh temporary folder, and a fresh Python venv. No mocks: real npm, pip, git and jupyter.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const root = resolve(__dirname, "..", "..");

/** A new empty folder under the system's temp dir. */
export function freshDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `lanes-${label}-`));
}

export interface RunResult {
  code: number | null;
  /** stdout and stderr, interleaved as they came. */
  output: string;
  stdout: string;
}

/** Runs a command; rejects (with everything it printed) unless it exits 0 or `allowFail` is set. */
export function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; allowFail?: boolean }): Promise<RunResult> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString();
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", fail);
    child.on("close", (code) => {
      if (code === 0 || opts.allowFail) ok({ code, output, stdout });
      else fail(new Error(`${cmd} ${args.join(" ")} (in ${opts.cwd}) exited ${code}:\n${output.slice(-6000)}`));
    });
  });
}

/** The system Python that set-up uses (the project's .venv was made from it). */
export function systemPython(): string {
  const cfg = readFileSync(join(root, ".venv", "pyvenv.cfg"), "utf8");
  const executable = /^executable\s*=\s*(.+)$/m.exec(cfg)?.[1]?.trim();
  const home = /^home\s*=\s*(.+)$/m.exec(cfg)?.[1]?.trim();
  return executable ?? (home ? join(home, "python3") : "python3");
}

/** A new venv in `dir`; returns its bin folder. pip reuses the user's pip cache, as any pip would. */
export async function freshVenv(dir: string): Promise<string> {
  await run(systemPython(), ["-m", "venv", dir], { cwd: root });
  return join(dir, "bin");
}

/**
 * An environment that sees `binDirs` first and nothing of this checkout: no .venv, no node_modules/.bin,
 * and Jupyter's data and config looked up only where the test says.
 */
export function isolatedEnv(binDirs: string[], extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const path = (process.env.PATH ?? "")
    .split(":")
    .filter((p) => p && !p.startsWith(root))
    .join(":");
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: [...binDirs, path].join(":"), ...extra };
  for (const k of ["VIRTUAL_ENV", "NODE_PATH", "JUPYTER_PATH", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "PYTHONPATH", "npm_config_prefix", "INIT_CWD"]) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

/** `name==version` lines of the one pins file, for packages a test installs on its own. */
export function pins(...names: string[]): string[] {
  const lines = readFileSync(join(root, "binder", "requirements.txt"), "utf8").split("\n");
  return names.map((n) => {
    const line = lines.find((l) => l.toLowerCase().startsWith(`${n.toLowerCase()}==`));
    if (!line) throw new Error(`binder/requirements.txt pins no ${n}`);
    return line.trim();
  });
}
