import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "..", "..");
const script = join(root, "scripts", "binder-links.mjs");
const lessons = readdirSync(join(root, "notebooks")).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();

describe("scripts/binder-links.mjs", () => {
  it("prints the badge and one link per lesson, pinned to the current commit", () => {
    const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim();
    const r = spawnSync(process.execPath, [script, "--repo", "someone/lanes"], { cwd: root, encoding: "utf8", env: { ...process.env, LANES_GITHUB_REPO: "" } });
    expect(r.status, r.stderr).toBe(0);
    const base = `https://mybinder.org/v2/gh/someone/lanes/${head}?urlpath=lab%2Ftree%2Fnotebooks%2F`;
    expect(r.stdout).toContain(`[![Binder](https://mybinder.org/badge_logo.svg)](${base}00-setup-and-tour.ipynb)`);
    for (const nb of lessons) expect(r.stdout).toContain(`](${base}${nb})`);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("| 0"))).toHaveLength(lessons.length);
  });

  it("refuses a repository that is not owner/name, and says how to name it", () => {
    const r = spawnSync(process.execPath, [script], { cwd: root, encoding: "utf8", env: { ...process.env, LANES_GITHUB_REPO: "not a repo" } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Pass --repo owner\/name/);
    expect(r.stdout).toBe("");
  });
});
