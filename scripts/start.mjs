// `npm start`: set up what is missing, then serve notebooks/ with JupyterLab on 127.0.0.1, opening the
// course's first lesson (not an empty launcher).
// Extra flags pass through to `jupyter lab` (`npm start -- --port 9999`).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { preflightOrExit } from "./lib/preflight.mjs";

/** The notebook JupyterLab opens first. */
const FIRST_LESSON = "00-setup-and-tour.ipynb";

preflightOrExit();
const { main, root, setup, venvBin, venvEnv } = await import("./lib/setup.mjs");

await main(async () => {
  await setup();
  const args = ["lab", "--ServerApp.ip=127.0.0.1", "--no-browser", `--ServerApp.root_dir=${join(root, "notebooks")}`, `--LabApp.default_url=/lab/tree/${FIRST_LESSON}`];
  // Containers and CI machines often run as root; JupyterLab refuses that unless told.
  if (process.getuid?.() === 0) args.push("--allow-root");
  args.push(...process.argv.slice(2));
  const lab = spawn(join(venvBin, "jupyter"), args, { cwd: join(root, "notebooks"), env: venvEnv(), stdio: "inherit" });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => lab.kill(sig));
  lab.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
});
