/**
 * Runs a bundled CommonJS file (scripts/bundle-worker.mjs) through V8's code cache. Every new thread
 * otherwise parses and compiles the whole bundle, and then each function it calls, again: about 4 ms of
 * a Process's start-up here, against well under 1 ms to deserialize the cached code. Node 20 has no
 * `module.enableCompileCache` (22.1+), so this is `vm.Script`'s `cachedData`.
 *
 * The cache sits beside the bundle, named after the bundle's size and modification time: V8 checks its
 * own version and flags but, of the source, only the length, so a rebuilt bundle must never meet an old
 * cache. A thread that found no usable cache writes one when its event loop empties (`beforeExit`), so
 * it holds the functions that thread compiled while it ran, not only the top level; it writes to a
 * temporary name and renames, so threads ending together never leave half a file. When the folder is
 * not writable nothing is cached and every thread compiles, as without this file.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { Script } from "node:vm";
import { threadId } from "node:worker_threads";

/** What the cache did for one run: used, absent (first run after a build), or refused by V8 (other Node version or flags, damaged file). */
export type CodeCacheUse = "accepted" | "missing" | "rejected";

/** Options of {@link runWithCodeCache}. */
export interface CodeCacheOptions {
  /**
   * Write the cache (if none was usable) as soon as the bundle's top level ran, not only when the event
   * loop empties: for a pool's thread, which sleeps in `Atomics.wait` between tasks (piscina) and never
   * empties its loop, so neither `beforeExit` nor a timer would run. The cache then holds the top level
   * and what it compiled eagerly; a thread's first task compiles the rest, as without a cache.
   * @default false
   * @example runWithCodeCache(file, module, require, { writeAtOnce: true })
   */
  writeAtOnce?: boolean;
}

/** The module a bundle sees as `module`: what its `module.exports = …` fills in. */
export interface CommonJsModule {
  exports: unknown;
}

/** The cache file of `file` as it is now on disk. */
export function codeCacheFile(file: string): string {
  const { size, mtimeMs } = statSync(file);
  return `${file}.${size}-${Math.round(mtimeMs * 1000)}.v8cache`;
}

/**
 * Evaluates `file` (CommonJS) as Node would, with `module` and `require` as its own: it sits beside the
 * caller, which passes its `module` (so the bundle's exports are the caller's) and `require` (which
 * resolves from the same folder).
 *
 * @example
 * runWithCodeCache(join(__dirname, "entry.bundle.js"), module, require);
 */
export function runWithCodeCache(file: string, module: CommonJsModule, require: NodeJS.Require, options: CodeCacheOptions = {}): CodeCacheUse {
  const cacheFile = codeCacheFile(file);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet: compiled below, and written when the thread is done.
  }
  // Node's own CommonJS wrapper, on the first line, so line numbers in stack traces stay the file's.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, "utf8")}\n})`;
  const script = new Script(source, { filename: file, cachedData });
  const use: CodeCacheUse = cachedData === undefined ? "missing" : script.cachedDataRejected === true ? "rejected" : "accepted";
  // Written once: at once (writeAtOnce) or when the loop empties, whichever comes first.
  let written = use === "accepted";
  const write = (): void => {
    if (written) return;
    written = true;
    writeCache(script, cacheFile);
  };
  if (!written) process.once("beforeExit", write);
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: CommonJsModule, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, require, module, file, file.slice(0, Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"))));
  if (options.writeAtOnce === true) write();
  return use;
}

function writeCache(script: Script, cacheFile: string): void {
  const temporary = `${cacheFile}.${process.pid}-${threadId}.tmp`;
  try {
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only install: threads compile the bundle as they would without a cache.
  }
}
