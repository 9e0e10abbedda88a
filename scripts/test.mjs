// `npm test`: set up what is missing, then run every suite (type check, lint, unit, notebooks in the
// real tslab kernel, browser tests in Debian's Chromium, the `npm start` smoke test, quick
// benchmarks) and end with one line `N passed, N failed` over all of them. The smoke test runs
// set-up again, which may rebuild dist/ or relink node_modules/.bin: it runs after the other
// suites, alone, so it cannot change files under a suite that is running.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { preflightOrExit, SetupError } from "./lib/preflight.mjs";

preflightOrExit();
const { main, root, setup, venvEnv } = await import("./lib/setup.mjs");
const { ensureChromium } = await import("./lib/chromium.mjs");

const bin = (name) => join(root, "node_modules", ".bin", name);

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, env: venvEnv(), stdio: "inherit" });
  return r.status === 0;
}

function vitest(project) {
  const out = join(root, "test-results", `vitest-${project}.json`);
  rmSync(out, { force: true });
  const ok = sh(bin("vitest"), ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
  if (!existsSync(out)) return { passed: 0, failed: 1, ok: false, note: `${project}: vitest produced no report` };
  const r = JSON.parse(readFileSync(out, "utf8"));
  // A suite that fails to load counts as a failure even though it ran no test.
  const failedSuites = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
  return { passed: r.numPassedTests, failed: r.numFailedTests + failedSuites, ok };
}

await main(async () => {
  await setup();
  ensureChromium();
  mkdirSync(join(root, "test-results"), { recursive: true });

  const checks = [
    ["type check", () => sh(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json", "--noEmit"])],
    ["lint", () => sh(bin("eslint"), ["."])],
  ];
  let passed = 0;
  let failed = 0;
  const failures = [];
  for (const [name, fn] of checks) {
    process.stderr.write(`\n── ${name} ──\n`);
    if (fn()) passed++;
    else { failed++; failures.push(name); }
  }
  for (const project of ["unit", "notebooks", "browser", "start", "install"]) {
    process.stderr.write(`\n── ${project} tests ──\n`);
    const r = vitest(project);
    passed += r.passed;
    failed += r.failed;
    if (!r.ok || r.failed > 0) failures.push(`${project} tests`);
  }
  if (existsSync(join(root, "bench", "run.mjs"))) {
    process.stderr.write(`\n── quick benchmarks ──\n`);
    if (sh(process.execPath, [join(root, "bench", "run.mjs"), "--quick"])) passed++;
    else { failed++; failures.push("quick benchmarks"); }
  }
  if (failures.length) process.stderr.write(`\nFailed: ${failures.join(", ")}\n`);
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  if (failures.length) throw new SetupError(`tests failed: ${failures.join(", ")}`);
});
