/**
 * What a Process thread loads first: entry.bundle.js beside it (the Process entry, entry.ts, bundled by
 * scripts/bundle-worker.mjs), through V8's code cache (src/worker/code-cache.ts). Bundled itself, so a
 * thread reads two files in all.
 */
import { join } from "node:path";
import { runWithCodeCache } from "../worker/code-cache";

runWithCodeCache(join(__dirname, "entry.bundle.js"), module, require);
