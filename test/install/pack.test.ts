// Lanes outside this repository, as a user would get it: the library packed with `npm pack`, the
// JupyterLab extension built as a wheel, both installed into a new folder with a new venv and tslab.
// Nothing there points back into this checkout: the kernel, the lanes package and the extension are
// the installed copies, and the notebook's timeline carries a MIME type the installed extension renders.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshDir, freshVenv, isolatedEnv, pins, root, run } from "./helpers";

const TIMELINE_MIME = "application/vnd.lanes.timeline.v1+json";
const TSLAB = "tslab@1.0.22";

let work = "";
afterAll(async () => {
  // Async: a clone with node_modules and a venv takes long to delete on a busy machine, and a worker
  // blocked that long misses vitest's 60 s RPC deadline ("Timeout calling onTaskUpdate", vitest#8164).
  if (work) await rm(work, { recursive: true, force: true });
});

const notebook = {
  cells: [
    ["import * as mp from \"lanes\";", "console.log(`lanes from ${require.resolve(\"lanes\")}`);"],
    [
      "const pool = new mp.Pool(2);",
      "const squares = await pool.map((x: number) => x * x, [1, 2, 3, 4, 5, 6], { chunksize: 1 });",
      "console.log(`squares ${squares.join(\",\")}`);",
      "mp.show(pool.timeline());",
      "await pool.terminate();",
    ],
  ].map((lines, i) => ({ cell_type: "code", id: `c${i}`, execution_count: null, metadata: {}, outputs: [], source: lines.join("\n") })),
  metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
  nbformat: 4,
  nbformat_minor: 5,
};

// nbclient, run by the new venv's Python, from a script that lives in the new folder.
const EXECUTE = `import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, kernel_name="tslab", timeout=180, resources={"metadata": {"path": sys.argv[3]}}).execute()
nbformat.write(nb, sys.argv[2])
`;

interface Output {
  output_type: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

describe("Lanes installed outside this repository", () => {
  it("npm pack + the extension's wheel, into a new project with a new venv and tslab, map over a pool and show a timeline the extension renders", async () => {
    work = freshDir("install");
    const project = join(work, "my-analysis");
    const dist = join(work, "dist");
    await run("mkdir", ["-p", project, dist], { cwd: work });

    // The two artefacts, built from this checkout (set-up has built dist/ and the labextension).
    const packed = await run("npm", ["pack", "--silent", "--pack-destination", dist], { cwd: root });
    const tarball = join(dist, packed.stdout.trim().split("\n").pop() ?? "");
    await run(join(root, ".venv", "bin", "python"), ["-m", "pip", "wheel", "--disable-pip-version-check", "-q", "--no-build-isolation", "--no-deps", "-w", dist, join(root, "extension")], { cwd: root });
    const wheel = join(dist, readdirSync(dist).find((f) => f.endsWith(".whl")) ?? "no-wheel");

    // A user's project: npm install lanes + tslab; pip install the extension + what runs a notebook.
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "my-analysis", private: true }, null, 2));
    const bin = await freshVenv(join(work, "venv"));
    const venv = join(work, "venv");
    const env = isolatedEnv([bin, join(project, "node_modules", ".bin")], { VIRTUAL_ENV: venv, JUPYTER_DATA_DIR: join(work, "jupyter-data"), JUPYTER_PATH: join(venv, "share", "jupyter") });
    await run("npm", ["install", "--no-audit", "--no-fund", tarball, TSLAB], { cwd: project, env });
    await run(join(bin, "python"), ["-m", "pip", "install", "--disable-pip-version-check", "-q", wheel, ...pins("nbclient", "nbformat", "ipykernel", "jupyter_client")], { cwd: project, env });
    const tslab = join(project, "node_modules", ".bin", "tslab");
    await run(tslab, ["install", "--python", join(bin, "python"), "--binary", tslab, "--prefix", venv], { cwd: project, env });

    writeFileSync(join(project, "pool.ipynb"), JSON.stringify(notebook, null, 1));
    writeFileSync(join(work, "execute.py"), EXECUTE);
    const executed = join(project, "pool-executed.ipynb");
    await run(join(bin, "python"), [join(work, "execute.py"), join(project, "pool.ipynb"), executed, project], { cwd: project, env });

    const outputs = (JSON.parse(readFileSync(executed, "utf8")) as { cells: { outputs: Output[] }[] }).cells.flatMap((c) => c.outputs);
    const text = outputs.map((o) => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? ""))).join("");
    expect(text).toContain(`lanes from ${join(project, "node_modules", "lanes")}`);
    expect(text).not.toContain(root + "/");
    expect(text).toContain("squares 1,4,9,16,25,36");
    const timeline = outputs.find((o) => o.data?.[TIMELINE_MIME] !== undefined);
    expect(timeline, "a display with the timeline MIME type").toBeDefined();
    const plain = timeline?.data?.["text/plain"];
    expect(Array.isArray(plain) ? plain.join("") : String(plain)).toMatch(/Lanes timeline · anonymous · \d+ batches on 2 workers · 6\/6 items/);

    // The installed extension (in the new venv, not this checkout) declares a renderer for that type.
    const labext = join(venv, "share", "jupyter", "labextensions", "lanes-jupyterlab");
    const bundles = readdirSync(join(labext, "static")).filter((f) => f.endsWith(".js"));
    expect(bundles.some((f) => readFileSync(join(labext, "static", f), "utf8").includes(TIMELINE_MIME))).toBe(true);
    const kernel = JSON.parse(readFileSync(join(venv, "share", "jupyter", "kernels", "tslab", "kernel.json"), "utf8")) as { argv: string[] };
    expect(kernel.argv[0]).toBe(tslab);
  }, 900_000);
});
