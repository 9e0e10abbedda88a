// Binder, without Binder: repo2docker cannot build here (no Docker engine), so one test asks it for the
// Dockerfile it would build and checks that it uses binder/environment.yml and runs binder/postBuild;
// the other replays postBuild's steps in a fresh clone with a fresh venv (standing in for the conda
// environment: same Python packages from the same pins file, the machine's Node 20) and runs lesson 04
// there in the kernel postBuild installed. The clone is of the committed HEAD, as Binder would see it.
import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDir, freshVenv, isolatedEnv, root, run } from "./helpers";

/** The repo2docker release checked (PyPI). */
const REPO2DOCKER = "jupyter-repo2docker==2026.4.0";

let work = "";
let clone = "";

beforeAll(async () => {
  work = freshDir("binder");
  clone = join(work, "lanes");
  await run("git", ["clone", "--quiet", "--no-hardlinks", root, clone], { cwd: work });
}, 120_000);

afterAll(async () => {
  // Async: a clone with node_modules and a venv takes long to delete on a busy machine, and a worker
  // blocked that long misses vitest's 60 s RPC deadline ("Timeout calling onTaskUpdate", vitest#8164).
  if (work) await rm(work, { recursive: true, force: true });
});

describe("binder/", () => {
  it("repo2docker (--no-build --debug) picks up binder/environment.yml and runs binder/postBuild", async () => {
    const bin = await freshVenv(join(work, "r2d-venv"));
    await run(join(bin, "python"), ["-m", "pip", "install", "--disable-pip-version-check", "-q", REPO2DOCKER], { cwd: work });
    const { output } = await run(join(bin, "jupyter-repo2docker"), ["--no-build", "--debug", clone], { cwd: work, env: isolatedEnv([bin]) });
    expect(output).toMatch(/env update -p \$\{NB_PYTHON_PREFIX\} --file "binder\/environment\.yml"/);
    expect(output).toMatch(/^RUN \.\/binder\/postBuild$/m);
    // binder/apt.txt: Debian's redis-server, so lesson 09's LocalCluster runs on Binder too.
    expect(output).toMatch(/apt-get install --yes --no-install-recommends redis-server/);
    // The environment is the one the README promises: conda-forge, Python, Node 20, pip.
    const env = readFileSync(join(clone, "binder", "environment.yml"), "utf8");
    expect(env).toMatch(/- conda-forge/);
    expect(env).toMatch(/- nodejs=20\b/);
    expect(env).toMatch(/- pip\b/);
  }, 600_000);

  it("postBuild's steps, replayed in a fresh clone and venv, give a kernel that runs lesson 04", async () => {
    const venv = join(work, "venv");
    const bin = await freshVenv(venv);
    const jupyterData = join(work, "jupyter-data");
    // Jupyter finds kernels in the venv (sys.prefix) only: never a kernelspec of this checkout's .venv.
    const env = isolatedEnv([bin], { VIRTUAL_ENV: venv, JUPYTER_DATA_DIR: jupyterData, JUPYTER_PATH: join(venv, "share", "jupyter") });
    await run("bash", [join(clone, "binder", "postBuild")], { cwd: clone, env });

    const kernel = JSON.parse(readFileSync(join(venv, "share", "jupyter", "kernels", "tslab", "kernel.json"), "utf8")) as { argv: string[] };
    expect(kernel.argv[0]).toBe(join(clone, "node_modules", ".bin", "tslab"));
    expect(existsSync(join(venv, "share", "jupyter", "labextensions", "lanes-jupyterlab", "package.json"))).toBe(true);

    const out = join(work, "04-executed.ipynb");
    const lesson = join(clone, "notebooks", "04-pool-map-and-chunksize.ipynb");
    const { stdout } = await run(join(bin, "python"), [join(clone, "test", "notebooks", "execute_notebook.py"), lesson, out, "tslab", "180"], { cwd: clone, env, allowFail: true });
    const result = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { ok?: boolean; error?: string };
    expect(result.error ?? "", "lesson 04 in the replayed Binder environment").toBe("");
    expect(result.ok).toBe(true);
    const text = readFileSync(out, "utf8");
    expect(text).toMatch(/chunksize default \(500\) +\d+ ms/);
    expect(text).toContain("application/vnd.lanes.timeline.v1+json");
  }, 900_000);
});
