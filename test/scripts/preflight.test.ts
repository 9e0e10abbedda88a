import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkNode, SetupError } from "../../scripts/lib/preflight.mjs";
import { run } from "../../scripts/lib/run.mjs";

const root = resolve(__dirname, "..", "..");

// Bad set-up input ends in one line that says what is missing, never a stack trace.
describe("set-up preflight", () => {
  it("refuses an old Node with the version it needs", () => {
    expect(() => checkNode("18.19.0")).toThrow(SetupError);
    expect(() => checkNode("18.19.0")).toThrow(/needs Node\.js >= 20; this is Node 18\.19\.0/);
    expect(() => checkNode("20.0.0")).not.toThrow();
  });

  it("stops with one line when no usable Python is found", () => {
    const r = spawnSync(process.execPath, [join(root, "scripts", "setup.mjs")], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, LANES_PYTHON: "/nonexistent/python3" },
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines.at(-1)).toMatch(/^lanes: Lanes needs Python >= 3\.10 .*apt-get install python3 python3-venv/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it("names the network when a registry cannot be reached", async () => {
    const logDir = mkdtempSync(join(tmpdir(), "lanes-run-"));
    const failing = run("sh", ["-c", "echo 'npm error code ENOTFOUND'; echo 'npm error request to https://registry.example/x failed' >&2; exit 1"], {
      cwd: root,
      logDir,
      label: "npm ci",
    });
    await expect(failing).rejects.toThrow(SetupError);
    await expect(failing).rejects.toThrow(/npm ci failed \(exit 1\).*package registry could not be reached/);
  });

  it("says which command is missing", async () => {
    const logDir = mkdtempSync(join(tmpdir(), "lanes-run-"));
    await expect(run("/nonexistent/npm", [], { cwd: root, logDir, label: "npm ci", hint: "Is npm on PATH?" })).rejects.toThrow(
      /npm ci: could not run \/nonexistent\/npm .*Is npm on PATH\?/,
    );
  });
});
