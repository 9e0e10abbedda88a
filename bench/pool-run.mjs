// Runs a bench/pool-*.ts file against the built package (what tslab users get): transpiles it with
// esbuild into dist/bench/, where its "../src/…" imports point at the compiled dist/….
//   npm run build && node bench/pool-run.mjs bench/pool-bench.ts [args…]
import { transformSync } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [file, ...args] = process.argv.slice(2);
if (!file) throw new Error("usage: node bench/pool-run.mjs bench/pool-bench.ts [args…]");
const { code } = transformSync(readFileSync(file, "utf8"), { loader: "ts", format: "cjs", platform: "node", target: "node20" });
const out = join(root, "dist", "bench", basename(file).replace(/\.ts$/, ".js"));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, code.replaceAll('require("../src/', 'require("../'));
process.exitCode = spawnSync(process.execPath, [out, ...args], { stdio: "inherit" }).status ?? 1;
