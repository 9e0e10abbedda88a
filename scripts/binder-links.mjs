// Prints the README's Binder badge and one Binder link per lesson, pinned to a commit (the current
// one unless --ref says otherwise), as Markdown.
//   node scripts/binder-links.mjs --repo owner/name [--ref <commit>]
// The GitHub repository comes from --repo, else LANES_GITHUB_REPO, else the `origin` remote.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function git(...args) {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

/** owner/name from a GitHub remote URL (https or ssh), or undefined. */
function fromRemote(url) {
  const m = /github\.com[:/]([^/]+\/[^/]+?)(\.git)?$/.exec(url);
  return m?.[1];
}

const repo = arg("repo") ?? process.env.LANES_GITHUB_REPO ?? fromRemote(git("remote", "get-url", "origin"));
if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) {
  process.stderr.write("binder-links: which GitHub repository? Pass --repo owner/name (or set LANES_GITHUB_REPO, or add an `origin` remote on github.com).\n");
  process.exit(1);
}
const ref = arg("ref") ?? git("rev-parse", "HEAD");
if (!ref) {
  process.stderr.write("binder-links: no commit: run it inside the git checkout, or pass --ref <commit>.\n");
  process.exit(1);
}

const lessons = readdirSync(join(root, "notebooks")).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();
const link = (nb) => `https://mybinder.org/v2/gh/${repo}/${ref}?urlpath=${encodeURIComponent(`lab/tree/notebooks/${nb}`)}`;
const title = (nb) => nb.replace(/\.ipynb$/, "").replace(/^(\d\d)-/, "$1 · ").replace(/-/g, " ");

const lines = [`[![Binder](https://mybinder.org/badge_logo.svg)](${link(lessons[0] ?? "")})`, "", "| lesson | open on Binder |", "|---|---|"];
for (const nb of lessons) lines.push(`| ${title(nb)} | [${nb}](${link(nb)}) |`);
process.stdout.write(lines.join("\n") + "\n");
