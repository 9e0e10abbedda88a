// Starts a private JupyterLab from the project's .venv for one test file: free port on 127.0.0.1,
// random token, and its own config/runtime/settings/workspace dirs so nothing of the user's (or of
// a running `npm start`) leaks in or out. `stop()` shuts it down through the API (which also shuts
// down its kernels), then kills whatever is left: the server's process group, and any kernel still
// holding a connection file in this server's runtime dir.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const projectRoot = resolve(__dirname, "..", "..", "..");
const jupyter = join(projectRoot, ".venv", "bin", "jupyter");

export interface JupyterLab {
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  token: string;
  /** Folder JupyterLab serves (its `root_dir`). */
  rootDir: string;
  /** Everything the server wrote to stdout and stderr so far, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** PIDs of processes whose command line mentions `needle` (kernels name their connection file). */
function pidsMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(needle)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((r) => {
    const timer = setTimeout(() => r(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      r(true);
    });
  });
}

export async function startJupyterLab({ rootDir, timeoutMs = 120_000 }: { rootDir: string; timeoutMs?: number }): Promise<JupyterLab> {
  if (!existsSync(jupyter)) throw new Error(`no JupyterLab at ${jupyter}: run \`npm run setup\` first`);
  const home = mkdtempSync(join(tmpdir(), "lanes-jlab-"));
  const dirs = { config: join(home, "config"), runtime: join(home, "runtime"), settings: join(home, "settings"), workspaces: join(home, "workspaces"), data: join(home, "data") };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  // No news feed, update check or PyPI extension manager: the page stays offline and quiet, and
  // window.jupyterapp lets the test run commands instead of hunting menus.
  writeFileSync(
    join(dirs.config, "jupyter_server_config.json"),
    JSON.stringify({
      LabApp: { news_url: null, check_for_updates_class: "jupyterlab.NeverCheckForUpdate", extension_manager: "readonly", expose_app_in_browser: true },
      // allow_root: CI containers run as root.
      ServerApp: { open_browser: false, allow_root: true },
    }),
  );
  const notification = join(dirs.settings, "@jupyterlab", "apputils-extension");
  mkdirSync(notification, { recursive: true });
  writeFileSync(join(notification, "notification.jupyterlab-settings"), JSON.stringify({ fetchNews: "false", checkForUpdates: false }));
  // Render every cell, not just those scrolled into view: tests look for outputs far down a notebook.
  const notebookSettings = join(dirs.settings, "@jupyterlab", "notebook-extension");
  mkdirSync(notebookSettings, { recursive: true });
  writeFileSync(join(notebookSettings, "tracker.jupyterlab-settings"), JSON.stringify({ windowingMode: "none" }));

  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(
    jupyter,
    ["lab", "--no-browser", "--ServerApp.ip=127.0.0.1", `--ServerApp.port=${port}`, "--ServerApp.port_retries=0", `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${rootDir}`],
    {
      cwd: rootDir,
      // Own process group, so stop() can end the server with everything it spawned that stayed in it.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        JUPYTER_CONFIG_DIR: dirs.config,
        JUPYTER_RUNTIME_DIR: dirs.runtime,
        JUPYTER_DATA_DIR: dirs.data,
        JUPYTERLAB_SETTINGS_DIR: dirs.settings,
        JUPYTERLAB_WORKSPACES_DIR: dirs.workspaces,
        JUPYTER_PLATFORM_DIRS: "1",
      },
    },
  );
  let output = "";
  child.stdout?.on("data", (b: Buffer) => (output += b.toString()));
  child.stderr?.on("data", (b: Buffer) => (output += b.toString()));

  // If the test process dies without running stop(), still take the server down with it.
  const onExit = () => killGroup(child, "SIGKILL");
  process.once("exit", onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      if (child.exitCode === null && child.signalCode === null) {
        await fetch(`${baseUrl}/api/shutdown`, { method: "POST", headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
        if (!(await exited(child, 15_000))) {
          killGroup(child, "SIGTERM");
          if (!(await exited(child, 5_000))) killGroup(child, "SIGKILL");
        }
      }
      // Kernels run in their own sessions (jupyter_client starts them with setsid), outside the group.
      for (let i = 0; i < 20; i++) {
        const left = pidsMentioning(dirs.runtime);
        if (left.length === 0) break;
        for (const pid of left) {
          try {
            process.kill(pid, i < 10 ? "SIGTERM" : "SIGKILL");
          } catch {
            // gone
          }
        }
        await sleep(250);
      }
    } finally {
      killGroup(child, "SIGKILL");
      process.removeListener("exit", onExit);
      rmSync(home, { recursive: true, force: true });
    }
  };

  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`JupyterLab exited early (${child.exitCode ?? child.signalCode})`);
      if (Date.now() > deadline) throw new Error(`JupyterLab did not answer on ${baseUrl} within ${timeoutMs} ms`);
      const res = await fetch(`${baseUrl}/api/status`, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
      if (res?.ok) break;
      await sleep(250);
    }
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n── jupyter lab output ──\n${output}`);
  }
  return { baseUrl, token, rootDir, log: () => output, stop };
}
