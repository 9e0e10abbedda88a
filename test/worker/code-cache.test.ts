import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { Pool } from "../../src/pool";
import { workerFile } from "../../src/pool/worker-file";
import { codeCacheFile, type CodeCacheUse } from "../../src/worker/code-cache";

// Threads run the compiled file (as every Lanes thread does): a thread cannot load the .ts source.
const compiled = path.resolve(__dirname, "..", "..", "dist", "worker", "code-cache.js");

interface Run {
  use: CodeCacheUse;
  answer: unknown;
  filename: unknown;
  stack: string;
}

/** Runs `file` through the code cache on a new thread; resolves once the thread exited (so its cache is written). */
async function runOnThread(file: string): Promise<Run> {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const m = { exports: {} };
     const use = require(${JSON.stringify(compiled)}).runWithCodeCache(workerData, m, require);
     parentPort.postMessage({ use, answer: m.exports.answer(), filename: m.exports.filename, stack: m.exports.where() });`,
    { eval: true, workerData: file },
  );
  const message = new Promise<Run>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const exited = new Promise((resolve) => worker.once("exit", resolve));
  const run = await message;
  await exited;
  return run;
}

/**
 * Runs `file` with `writeAtOnce` on a thread that then sleeps in Atomics.wait for good, as a pool's thread
 * does between tasks (its event loop never empties); ends it once it answered.
 */
async function runOnSleepingThread(file: string): Promise<CodeCacheUse> {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const m = { exports: {} };
     const use = require(${JSON.stringify(compiled)}).runWithCodeCache(workerData, m, require, { writeAtOnce: true });
     parentPort.postMessage(use);
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`,
    { eval: true, workerData: file },
  );
  const use = await new Promise<CodeCacheUse>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  return use;
}

/** A small CommonJS "bundle": the answer on line 1, a stack trace taken on line 3. */
function bundleSource(answer: number): string {
  return [`module.exports.answer = () => ${answer};`, `module.exports.filename = __filename;`, `module.exports.where = () => new Error("here").stack;`, ""].join("\n");
}

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function bundle(answer: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), "lanes-code-cache-"));
  dirs.push(dir);
  const file = path.join(dir, "entry.bundle.js");
  writeFileSync(file, bundleSource(answer));
  return file;
}

describe("runWithCodeCache", () => {
  it("compiles on the first run, writes the cache when the thread ends, and the next thread uses it", async () => {
    const file = bundle(42);
    const first = await runOnThread(file);
    expect([first.use, first.answer, first.filename]).toEqual(["missing", 42, file]);
    expect(existsSync(codeCacheFile(file))).toBe(true);
    const second = await runOnThread(file);
    expect([second.use, second.answer, second.filename]).toEqual(["accepted", 42, file]);
    // Line numbers are the file's own, cache or not.
    expect(first.stack).toContain(`${file}:3:`);
    expect(second.stack).toContain(`${file}:3:`);
  });

  it("writeAtOnce: a thread whose event loop never empties (a pool's) still leaves a cache the next thread uses", async () => {
    const file = bundle(7);
    expect(await runOnSleepingThread(file)).toBe("missing");
    expect(existsSync(codeCacheFile(file))).toBe(true);
    expect(await runOnSleepingThread(file)).toBe("accepted");
    expect((await runOnThread(file)).use).toBe("accepted");
  });

  it("a Pool's threads start from the code-cached entry and leave its cache beside the bundle", async () => {
    expect(path.basename(workerFile())).toBe("entry-cached.bundle.js");
    const pool = new Pool(1);
    expect(await pool.apply((x: number) => x + 1, [1])).toBe(2);
    await pool.terminate();
    expect(existsSync(codeCacheFile(path.join(path.dirname(workerFile()), "entry.bundle.js")))).toBe(true);
  });

  it("never runs a rebuilt bundle from the old one's cache, even at the same length (all V8 checks)", async () => {
    const file = bundle(41);
    await runOnThread(file);
    expect((await runOnThread(file)).use).toBe("accepted");
    writeFileSync(file, bundleSource(43));
    expect(readFileSync(file, "utf8").length).toBe(bundleSource(41).length);
    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    const rebuilt = await runOnThread(file);
    expect([rebuilt.use, rebuilt.answer]).toEqual(["missing", 43]);
  });

  it("runs correctly past a damaged cache, and replaces it", async () => {
    const file = bundle(7);
    await runOnThread(file);
    writeFileSync(codeCacheFile(file), Buffer.from("not a V8 code cache at all, just some bytes"));
    const damaged = await runOnThread(file);
    expect([damaged.use, damaged.answer]).toEqual(["rejected", 7]);
    expect((await runOnThread(file)).use).toBe("accepted");
  });
});
