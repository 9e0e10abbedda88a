// `npm run bench`: runs every benchmark in bench/cases/ against the built package, each in a process of
// its own, and writes bench/results/<date>.{json,md}, latest.md and latest.svg.
//   npm run bench -- --quick          tiny sizes, one run: checks the code paths (npm test runs it);
//                                     writes test-results/bench-quick.* and never bench/results/
//   npm run bench -- --only imap,startup --runs 7 --workers 2
//   npm run bench -- --from bench/results/<date>.json   re-renders the tables and plot, measures nothing
// Exits non-zero when a benchmark throws. Prints the summary table.
import { transformSync } from "esbuild";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes("--quick");
const runs = Number(flag("--runs") ?? (quick ? 1 : 5));
const workers = Number(flag("--workers") ?? Math.min(availableParallelism(), 8));
const only = flag("--only")?.split(",");
const from = flag("--from");
const say = (s) => process.stderr.write(`${s}\n`);

/** Newest modification time under `dir` (files only). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Benchmarks measure what users get: dist/. Build it when src/ changed since the last build. */
function ensureBuilt() {
  const stamp = join(root, "dist", ".tsbuildinfo");
  if (existsSync(join(root, "dist", "index.js")) && existsSync(stamp) && statSync(stamp).mtimeMs >= newest(join(root, "src"))) return;
  say("bench: building dist/ …");
  const r = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  if (r.status === 0) return;
  // tsc still emits: someone's half-finished edit in src/ should not stop the benchmarks of the rest.
  if (!existsSync(join(root, "dist", "index.js"))) throw new Error("bench: npm run build failed");
  say("bench: WARNING: the build reported errors; measuring the dist/ it emitted");
}

/**
 * bench/lib and bench/cases → CommonJS in a directory of this run's own under dist/bench/ (another
 * `npm test` may be running its quick benchmarks at the same time). Imports of ../src/… are pointed at
 * the compiled dist/…: what notebook users get.
 */
function transpile() {
  const out = join(root, "dist", "bench", `run-${process.pid}`);
  for (const sub of ["lib", "cases"]) {
    mkdirSync(join(out, sub), { recursive: true });
    for (const name of readdirSync(join(root, "bench", sub))) {
      if (!name.endsWith(".ts") || name.endsWith(".d.ts")) continue;
      const src = join(root, "bench", sub, name);
      const target = join(out, sub, name.replace(/\.ts$/, ".js"));
      const { code } = transformSync(readFileSync(src, "utf8"), { loader: "ts", format: "cjs", platform: "node", target: "node20", sourcefile: src });
      const rewritten = code.replace(/require\("(\.[^"]*)"\)/g, (m, spec) => {
        const inSrc = relative(join(root, "src"), resolve(dirname(src), spec));
        if (inSrc.startsWith("..")) return m;
        const to = relative(dirname(target), join(root, "dist", inSrc)).replaceAll("\\", "/");
        return `require(${JSON.stringify(to.startsWith(".") ? to : `./${to}`)})`;
      });
      writeFileSync(target, rewritten);
    }
  }
  return out;
}

function python() {
  const exe = join(root, ".venv", "bin", "python");
  if (!existsSync(exe)) return null;
  return spawnSync(exe, ["--version"], { encoding: "utf8" }).stdout.trim() || null;
}

function commit() {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, encoding: "utf8" }).trim() !== "";
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return null;
  }
}

/** Runs one case in its own process; resolves to its CaseResult (or one that says why it failed). */
function runCase(id, file, outDir, child) {
  const out = join(outDir, `${id}.json`);
  rmSync(out, { force: true });
  const timeoutMs = quick ? 60_000 : 30 * 60_000;
  return new Promise((done) => {
    const started = Date.now();
    const p = spawn(process.execPath, [child, file, out, "--root", root, "--runs", String(runs), "--workers", String(workers), ...(quick ? ["--quick"] : [])], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
    });
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("exit", (code, signal) => {
      clearTimeout(timer);
      const failed = { id, title: id, order: 1e9, unit: "items", items: 0, subject: "", notes: [], runners: [], wallSeconds: (Date.now() - started) / 1000 };
      if (!existsSync(out)) return done({ ...failed, error: signal ? `killed by ${signal} (timeout ${timeoutMs / 1000} s?)` : `exited with ${code} before writing a result` });
      const result = JSON.parse(readFileSync(out, "utf8"));
      if (code !== 0 && !result.error) result.error = `exited with ${code}`;
      done(result);
    });
  });
}

function localDate(d) {
  const z = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}`;
}

async function measure(dist) {
  const caseDir = join(dist, "cases");
  const ids = readdirSync(caseDir)
    .filter((f) => f.endsWith(".js"))
    .map((f) => f.replace(/\.js$/, ""))
    .filter((id) => !only || only.includes(id))
    .sort();
  if (ids.length === 0) throw new Error(`bench: no cases${only ? ` named ${only.join(", ")}` : ""} in bench/cases/`);

  const outDir = join(dist, "results");
  mkdirSync(outDir, { recursive: true });
  const started = new Date();
  const loadBefore = loadavg();
  say(`bench: ${ids.length} cases, ${workers} workers, ${runs} run(s)${quick ? ", --quick" : ""}; load ${loadBefore.map((x) => x.toFixed(2)).join(" ")}`);
  // Full runs: one case at a time, or they would measure each other. --quick: figures mean nothing,
  // so two at a time to stay within a few seconds.
  const cases = new Array(ids.length);
  let next = 0;
  const lane = async () => {
    while (next < ids.length) {
      const i = next++;
      const id = ids[i];
      if (!quick) say(`\n── ${id} ──`);
      cases[i] = await runCase(id, join(caseDir, `${id}.js`), outDir, join(dist, "lib", "child.js"));
    }
  };
  await Promise.all(Array.from({ length: quick ? 2 : 1 }, lane));
  const cpuList = cpus();
  return {
    schema: 1,
    date: localDate(started),
    startedAt: started.toISOString(),
    quick,
    runs,
    ...(only ? { only: ids } : {}),
    machine: {
      cpus: cpuList.length,
      availableParallelism: availableParallelism(),
      cpuModel: cpuList[0]?.model ?? "unknown",
      platform: `${platform()} ${release()}`,
      totalMemGiB: totalmem() / 2 ** 30,
      loadBefore,
      loadAfter: loadavg(),
      node: process.version,
      python: python(),
      workers,
      commit: commit(),
    },
    cases,
  };
}

async function main() {
  const t0 = performance.now();
  if (!from) ensureBuilt();
  const dist = transpile();
  process.on("exit", () => rmSync(dist, { recursive: true, force: true }));
  const report = from ? JSON.parse(readFileSync(resolve(from), "utf8")) : await measure(dist);
  const require = createRequire(import.meta.url);
  const { renderMarkdown, summaryTable } = require(join(dist, "lib", "report.js"));
  const { renderSvg } = require(join(dist, "lib", "svg.js"));
  const md = renderMarkdown(report);
  const svg = renderSvg(report);
  const json = JSON.stringify(report, null, 2) + "\n";
  const written = [];
  const write = (p, text) => {
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    written.push(relative(root, p));
  };
  if (report.quick) {
    const dir = join(root, "test-results");
    write(join(dir, "bench-quick.json"), json);
    write(join(dir, "bench-quick.md"), md);
    write(join(dir, "bench-quick.svg"), svg);
  } else if (report.only) {
    // A partial run never replaces the full one: it gets its own name and leaves latest.* alone.
    const base = join(root, "bench", "results", `${report.date}-only-${report.only.join("+")}`);
    write(`${base}.json`, json);
    write(`${base}.md`, md);
    write(`${base}.svg`, svg);
  } else {
    const dir = join(root, "bench", "results");
    write(join(dir, `${report.date}.json`), json);
    write(join(dir, `${report.date}.md`), md);
    write(join(dir, "latest.md"), md);
    write(join(dir, "latest.svg"), svg);
  }
  process.stdout.write(`\n${summaryTable(report)}\n`);
  const failed = report.cases.filter((c) => c.error);
  say(`\nbench: wrote ${written.join(", ")} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (failed.length > 0) {
    say(`bench: FAILED ${failed.map((c) => `${c.id} (${c.error.split("\n")[0]})`).join("; ")}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  say(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
